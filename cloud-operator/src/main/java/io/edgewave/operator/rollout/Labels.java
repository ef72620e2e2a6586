package io.edgewave.operator.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** The labels and annotations the operator puts on what it creates, and the names it gives them. */
public final class Labels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "edgewave";
  public static final String RELEASE = "edgewave.io/release";
  public static final String NODE = "edgewave.io/node";
  public static final String REVISION = "edgewave.io/revision";
  public static final String NODE_NAME = "edgewave.io/node-name";
  public static final String DISPATCHED_AT = "edgewave.io/dispatched-at";
  public static final String PREVIOUS_REVISION = "edgewave.io/previous-revision";
  public static final String WAVE = "edgewave.io/wave";
  /** When the operator first saw the node Ready on the Deployment's revision: evidence that outlives a blip. */
  public static final String READY_AT = "edgewave.io/ready-at";
  /** The rollout attempt (revision and start) that moved the node to its revision: a rollback returns only these. */
  public static final String ROLLOUT = "edgewave.io/rollout";
  /** Marks a pre-pull pod (spec.strategy.staging): it pulls the revision's images and exits; it is not the workload. */
  public static final String PREPULL = "edgewave.io/prepull";
  /**
   * On a pre-pull pod: the last pull error the kubelet reported (ErrImagePull's message, "image: error"), kept because
   * ImagePullBackOff's message says only "Back-off pulling image" on kubelets before 1.32.
   */
  public static final String PULL_ERROR = "edgewave.io/last-pull-error";
  /**
   * On a pre-pull pod: which attempt at staging its node it is (1, 2, ...). A pod thrown out for reasons of its own
   * (evicted, killed by its deadline while its node was away) is replaced by the next attempt, up to
   * {@link StagingObserver#MAX_ATTEMPTS}; then it is the node's staging failure.
   */
  public static final String STAGE_ATTEMPT = "edgewave.io/stage-attempt";
  /**
   * On a pre-pull pod its deadline killed: whether its node could be reached the whole time it ran ("true"/"false"),
   * written the first time the operator sees the kill, so a later blip cannot turn a real timeout into time away.
   */
  public static final String REACHABLE_THROUGHOUT = "edgewave.io/reachable-throughout";
  /** The namespace of the release a cluster-scoped object (an ImagePrePullJob) belongs to. */
  public static final String RELEASE_NAMESPACE = "edgewave.io/release-namespace";

  /** {@link #ROLLOUT} of a node a rollback returned: it names the attempt it undid, so no later attempt claims it. */
  public static String reverted(String attempt) {
    return "reverted:" + attempt;
  }
  public static final String APPROVE = "edgewave.io/approve";
  public static final String ABORT = "edgewave.io/abort";
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

  /** The longest label value Kubernetes accepts. */
  public static final int MAX_LABEL_VALUE = 63;
  /**
   * The readable part of a Deployment name. The ReplicaSet adds "-" and a pod-template hash (up to 10 characters)
   * and the pod 6 more, so 180 + 11 for the hash leaves those well inside the 253 a name may have.
   */
  static final int MAX_READABLE = 180;
  static final int NAME_HASH = 10;
  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  private static final Pattern NOT_NAME = Pattern.compile("[^a-z0-9]+");

  private Labels() {}

  /** The node an object of this operator's is for (annotation {@link #NODE_NAME}), or null. */
  public static String nodeName(io.fabric8.kubernetes.api.model.HasMetadata o) {
    var a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(NODE_NAME);
  }

  /**
   * Node names are DNS subdomains, valid label values up to 63 characters; longer ones are replaced by a stable
   * hash ("h-" and 32 hex digits).
   */
  public static String nodeValue(String node) {
    return node.length() <= MAX_LABEL_VALUE ? node : "h-" + sha256(node).substring(0, 32);
  }

  /**
   * Why a release cannot be rolled out under this name, or null if it can: the name is the value of the
   * {@value #RELEASE} label on every Deployment and pod, and label values have at most 63 characters. Returns the
   * whole message, field included, as {@link FieldError#toString()} writes it.
   */
  public static String nameProblem(String releaseName) {
    if (releaseName.length() > MAX_LABEL_VALUE) {
      return "metadata.name: \"" + releaseName + "\" is " + releaseName.length() + " characters; rename the release to "
          + "at most " + MAX_LABEL_VALUE + " characters: it is used as a label value (" + RELEASE + ")";
    }
    if (!LABEL_VALUE.matcher(releaseName).matches()) {
      return "metadata.name: \"" + releaseName + "\" is not a valid label value; rename the release to letters, digits, "
          + "'-', '_' and '.', beginning and ending with a letter or digit: it is used as a label value (" + RELEASE + ")";
    }
    return null;
  }

  /**
   * The name of a release's Deployment for one node: a readable part and a hash of both names. Plain
   * release + "-" + node collided: release "edge" on node "gpu-hz-01" and release "edge-gpu" on node "hz-01" both
   * made "edge-gpu-hz-01", and the second release would have taken over the first one's Deployment. The hash is
   * of the pair with a separator that neither name can hold, so two pairs share a name only if they share the
   * readable part (an ambiguous split like the one above, or the same first 180 characters) and the first 40 bits
   * of a sha256: about 1 in 10^12. The readable part keeps only [a-z0-9-], so the name is a valid DNS-1123
   * subdomain whatever the inputs.
   *
   * <p>Changing this is safe for Deployments that already exist: {@link ReleaseObserver} finds a release's
   * Deployments by the {@value #RELEASE} label and the {@value #NODE_NAME} annotation, never by name, and
   * {@link NodeDeployments#updated} keeps an existing Deployment's name. Only Deployments created from now on get
   * the new names.
   */
  public static String deploymentName(String release, String node) {
    String readable = NOT_NAME.matcher((release + "-" + node).toLowerCase(Locale.ROOT)).replaceAll("-");
    if (readable.length() > MAX_READABLE) readable = readable.substring(0, MAX_READABLE);
    readable = readable.replaceAll("^-+|-+$", "");
    String hash = sha256(release + '\0' + node).substring(0, NAME_HASH);
    return readable.isEmpty() ? hash : readable + "-" + hash;
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
