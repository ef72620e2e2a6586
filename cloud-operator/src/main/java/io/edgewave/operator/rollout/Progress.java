package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.List;

/**
 * The part of status a rollout resumes from. {@code failures} are the samples kept from the moment the rollout
 * halted (so a halt or a rollback still shows which nodes failed and why); {@code failedRevisions} the last
 * revisions that halted or were rolled back (a rollback never returns a node to one of them); {@code lastGood}
 * the last revision that succeeded; {@code stranded} how many nodes a rollback could not return.
 */
public record Progress(
    String revision, String previousRevision, Phase phase, List<WaveMark> marks, Instant startedAt,
    Instant finishedAt, List<NodeFailure> failures, List<String> failedRevisions, String lastGood, int stranded) {
  /** How many failed revisions are remembered. */
  public static final int FAILED_REVISIONS_KEPT = 10;

  public Progress {
    marks = marks == null ? List.of() : List.copyOf(marks);
    failures = failures == null ? List.of() : List.copyOf(failures);
    failedRevisions = failedRevisions == null ? List.of() : List.copyOf(failedRevisions);
  }

  public Progress(String revision, String previousRevision, Phase phase, List<WaveMark> marks, Instant startedAt,
      Instant finishedAt) {
    this(revision, previousRevision, phase, marks, startedAt, finishedAt, List.of(), List.of(), null, 0);
  }

  /**
   * The rollout attempt: this revision rolled out from this start. Approvals and aborts name it, so one written
   * for an attempt never applies to a later one, even of the same revision (an undo or a revert).
   */
  public String attempt() {
    return attempt(revision, startedAt);
  }

  public static String attempt(String revision, Instant startedAt) {
    return revision + "." + (startedAt == null ? 0 : startedAt.getEpochSecond());
  }

  Progress with(Phase p, List<WaveMark> m, Instant finished, List<NodeFailure> f, int strandedNodes) {
    return new Progress(revision, previousRevision, p, m, startedAt, finished, f, failedRevisions, lastGood,
        strandedNodes);
  }
}
