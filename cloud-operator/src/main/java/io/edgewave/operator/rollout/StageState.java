package io.edgewave.operator.rollout;

import java.time.Instant;

/**
 * A node's staging for the release's current revision, as its pre-pull object says (the record that survives a
 * restart; status keeps only counts). No entry: not staged yet.
 *
 * @param reason for PULLING, the kubelet's word while it retries (e.g. "ImagePullBackOff"); for FAILED, the image and
 *     the error, e.g. "reg/app:2.0: manifest unknown"
 * @param since when the pull's timeout began counting: the pre-pull object's creation, or the node's return when it
 *     came back reachable after that
 */
public record StageState(Kind kind, String reason, Instant since) {
  public enum Kind { PULLING, STAGED, FAILED }

  public static StageState staged(Instant since) { return new StageState(Kind.STAGED, null, since); }

  public static StageState pulling(Instant since) { return new StageState(Kind.PULLING, null, since); }

  public static StageState failed(String reason, Instant since) { return new StageState(Kind.FAILED, reason, since); }
}
