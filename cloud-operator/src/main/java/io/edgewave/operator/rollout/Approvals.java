package io.edgewave.operator.rollout;

import java.util.HashSet;
import java.util.Set;

/**
 * Reads the operator annotations ops write (with {@code edgewave approve|abort} or kubectl). The approval annotation
 * is "wave@rollout[,wave@rollout...]" where rollout is {@code status.rollout}, the attempt (revision and start): one
 * left on the object cannot approve a wave of a later rollout, not even of the same revision after an undo or a
 * revert.
 */
public final class Approvals {
  private Approvals() {}

  /**
   * The abort annotation, "rollout" or "rollout/rollback": like an approval it names its rollout attempt, so an
   * abort left on the object never stops a later one.
   */
  public static RolloutInput.Abort abort(String annotation, String revision) {
    if (annotation == null || revision == null) return RolloutInput.Abort.NONE;
    String[] parts = annotation.trim().split("/", 2);
    if (!parts[0].trim().equals(revision)) return RolloutInput.Abort.NONE;
    return parts.length == 2 && parts[1].trim().equals("rollback") ? RolloutInput.Abort.ROLLBACK : RolloutInput.Abort.HALT;
  }

  public static Set<String> wavesApproved(String annotation, String revision) {
    Set<String> out = new HashSet<>();
    if (annotation == null || revision == null) return out;
    for (String part : annotation.split(",")) {
      String[] wr = part.trim().split("@", 2);
      if (wr.length == 2 && wr[1].trim().equals(revision) && !wr[0].isBlank()) out.add(wr[0].trim());
    }
    return out;
  }
}
