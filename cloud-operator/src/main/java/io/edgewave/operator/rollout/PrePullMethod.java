package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.StagingMethod;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which object stages a release's images (spec.strategy.staging.method): KubeEdge's ImagePrePullJob or a pre-pull pod
 * per node. {@code Auto} takes the job where the cluster serves it and the job can carry what the pods would
 * (KubeEdge's {@code imageSecrets} is one {@code namespace/name}, so a template with two pull secrets stays on pods),
 * else pods; {@code ImagePrePullJob} is the job or a hold that says why not; {@code Pod} is always pods. Pure.
 */
public final class PrePullMethod {
  public static final String JOB = "ImagePrePullJob";
  public static final String POD = "Pod";
  private static final String F = "spec.strategy.staging.method";

  /**
   * An image reference as the distribution grammar has it (registry host[:port]/path[:tag][@digest]): a job hands
   * images to edgecore on every node it names, so nothing else (spaces, quotes, shell metacharacters, options) may
   * ride along in one. The kubelet checks a pre-pull pod's images itself (InvalidImageName).
   */
  static final Pattern IMAGE = Pattern.compile("(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
      + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?/)?"
      + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
      + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");
  static final int MAX_IMAGE = 512;

  private PrePullMethod() {}

  /**
   * @param method the one asked for (null: Auto)
   * @param jobsServed whether the cluster serves imageprepulljobs.operations.kubeedge.io/v1alpha1
   * @param images the template's images, init containers too
   * @param pullSecrets how many imagePullSecrets the template names
   */
  public static Choice choose(StagingMethod method, boolean jobsServed, List<String> images, int pullSecrets) {
    if (method == StagingMethod.Pod) return new Choice(POD, null);
    String unfit = null;
    if (!jobsServed) {
      unfit = "this cluster does not serve imageprepulljobs.operations.kubeedge.io/v1alpha1 (KubeEdge cloudcore with "
          + "its operations CRDs, 1.16 or later); install KubeEdge's CRDs, or set " + F + " to Auto or Pod (a pre-pull "
          + "pod per node)";
    } else if (pullSecrets > 1) {
      unfit = "the template has " + pullSecrets + " imagePullSecrets but an ImagePrePullJob passes one (imageSecrets: "
          + "namespace/name); keep one pull secret, or set " + F + " to Auto or Pod";
    } else {
      for (String image : images) {
        if (image.length() > MAX_IMAGE || !IMAGE.matcher(image).matches()) {
          unfit = "image \"" + clip(image) + "\" is not a plain image reference (registry/name:tag@digest), so it is "
              + "not handed to KubeEdge; fix the image, or set " + F + " to Pod";
          break;
        }
      }
    }
    if (unfit == null) return new Choice(JOB, null);
    return method == StagingMethod.ImagePrePullJob ? new Choice(null, F + " is ImagePrePullJob but " + unfit)
        : new Choice(POD, null);
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /**
   * @param method {@link #JOB} or {@link #POD}; null when it cannot be had
   * @param problem why the method asked for cannot be used, naming the field and the fix; null when it can
   */
  public record Choice(String method, String problem) {
    public boolean jobs() { return JOB.equals(method); }
  }
}
