package io.edgewave.operator.rollout;

import java.util.HashSet;
import java.util.Set;

/**
 * Reads the approval annotation, "wave@revision[,wave@revision...]". An approval names its revision so that one
 * left on the object cannot approve the same wave of the next release.
 */
public final class Approvals {
  private Approvals() {}

  public static Set<String> wavesApproved(String annotation, String revision) {
    Set<String> out = new HashSet<>();
    if (annotation == null) return out;
    for (String part : annotation.split(",")) {
      String[] wr = part.trim().split("@", 2);
      if (wr.length == 2 && wr[1].trim().equals(revision) && !wr[0].isBlank()) out.add(wr[0].trim());
    }
    return out;
  }
}
