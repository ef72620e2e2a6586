package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.List;

/** The part of status a rollout resumes from. */
public record Progress(
    String revision, String previousRevision, Phase phase, List<WaveMark> marks, Instant startedAt,
    Instant finishedAt) {
  public Progress {
    marks = marks == null ? List.of() : List.copyOf(marks);
  }
}
