package io.edgewave.operator.rollout;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads each node's staging from its pre-pull pod (labelled {@link Labels#PREPULL}): the record that survives an
 * operator restart. A pod whose containers all got their image (run, or at least created) is STAGED, whatever the
 * container then did (an image without {@code /bin/true} cannot run it, but it is on the node). A pull error is
 * retried by the kubelet: it fails the node's staging at once only when retrying cannot help (an invalid image name,
 * pulls forbidden, or the registry says the image does not exist or may not be read), otherwise it is a hiccup the
 * kubelet retries: the node stays pulling until the timeout, and only then fails, with the last error. A pod the
 * kubelet threw out (evicted, node shut down) says nothing about the image: it counts as no record, so the node is
 * staged again (the Node writer deletes it).
 * Pure.
 */
public final class StagingObserver {
  static final Set<String> PULL_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff", "RegistryUnavailable",
      "InvalidImageName", "ErrImageNeverPull", "SignatureValidationFailed");
  private static final Set<String> HOPELESS = Set.of("InvalidImageName", "ErrImageNeverPull");
  /** Reasons whose message is the registry's or the runtime's own error, worth keeping through a back-off. */
  private static final Set<String> RECORDED = Set.of("ErrImagePull", "RegistryUnavailable", "SignatureValidationFailed");
  /** ImagePullBackOff's message on kubelets before 1.32: no error in it. */
  private static final java.util.regex.Pattern BARE_BACK_OFF = java.util.regex.Pattern.compile(
      "Back-off pulling image \"[^\"]*\"\\.?");
  /** What registries say when retrying cannot help: the image or tag is not there, or may not be read. */
  private static final java.util.regex.Pattern NO_SUCH_IMAGE = java.util.regex.Pattern.compile(
      "(?i)manifest unknown|not found|no such manifest|unauthorized|denied|authentication required|forbidden");

  private StagingObserver() {}

  /** Staging by node for {@code revision}; pre-pull pods of other revisions say nothing about it. */
  public static Map<String, StageState> states(List<Pod> pods, String revision, Instant now, Duration timeout) {
    return states(pods, revision, now, timeout, Map.of());
  }

  /**
   * @param reachableSince per node, since when it has been reachable without a break (its probe condition healthy
   *     since): a pull's timeout counts from the later of the pod's creation and that, so time offline never fails a
   *     pull, and a pod its own deadline killed while the node was away is no record (the node is staged again)
   */
  public static Map<String, StageState> states(List<Pod> pods, String revision, Instant now, Duration timeout,
      Map<String, Instant> reachableSince) {
    Map<String, StageState> out = new HashMap<>();
    Map<String, Integer> attempts = new HashMap<>();
    for (Pod p : pods) {
      if (!prePullOf(p, revision) || p.getMetadata().getDeletionTimestamp() != null) continue;
      String node = Labels.nodeName(p);
      if (node == null || thrownOut(p, reachableSince.get(node))) continue;
      Integer had = attempts.get(node);
      if (had != null && had > attempt(p)) continue; // a later attempt speaks for the node
      attempts.put(node, attempt(p));
      out.put(node, state(p, now, timeout, reachableSince.get(node)));
    }
    return out;
  }

  /** Whether the pod is a pre-pull pod of {@code revision}. */
  public static boolean prePullOf(Pod p, String revision) {
    Map<String, String> l = p.getMetadata().getLabels();
    return l != null && l.containsKey(Labels.PREPULL) && revision.equals(l.get(Labels.REVISION));
  }

  /**
   * Since when a pull's timeout counts: the later of its object's creation and its node's return
   * ({@code reachableSince}), so time the node could not be reached never counts; a return ahead of now is not used.
   */
  static Instant pullSince(Instant created, Instant reachableSince, Instant now) {
    return reachableSince != null && reachableSince.isAfter(created) && !reachableSince.isAfter(now)
        ? reachableSince : created;
  }

  /**
   * Attempts at staging one node: a pod thrown out this many times is its staging failure, so a node whose pulls keep
   * being evicted (its disk) or whose link keeps dropping while a too-slow pull runs cannot hold its wave for ever.
   */
  public static final int MAX_ATTEMPTS = 3;

  /** A pre-pull pod the kubelet gave up on for reasons of its own (evicted, shut down), not the image's. */
  public static boolean thrownOut(Pod p) {
    return thrownOut(p, null);
  }

  /** Which attempt at staging its node the pod is (annotation {@link Labels#STAGE_ATTEMPT}; 1 without one). */
  public static int attempt(Pod p) {
    String a = p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(Labels.STAGE_ATTEMPT);
    try {
      return a == null ? 1 : Math.max(1, Integer.parseInt(a));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /**
   * Also a pod its own deadline (the staging timeout from its start) killed when its node became reachable again
   * after it was created: the time it had was partly time away.
   */
  public static boolean thrownOut(Pod p, Instant reachableSince) {
    if (p.getStatus() == null || !"Failed".equals(p.getStatus().getPhase())) return false;
    if (attempt(p) >= MAX_ATTEMPTS) return false; // the last attempt: its end is the node's staging failure
    String reason = p.getStatus().getReason();
    if ("DeadlineExceeded".equals(reason)) {
      // judged once, when first seen (recorded on the pod): a later blip says nothing about the time it ran
      String recorded = p.getMetadata().getAnnotations() == null ? null
          : p.getMetadata().getAnnotations().get(Labels.REACHABLE_THROUGHOUT);
      if (recorded != null) return "false".equals(recorded);
      return awayWhileRunning(p, reachableSince);
    }
    // containers created (or run) mean the images are there: a pod failed after that is staged, not thrown out
    var statuses = p.getStatus().getContainerStatuses();
    if (statuses != null && !statuses.isEmpty() && statuses.stream().allMatch(StagingObserver::pulled)) return false;
    return true;
  }

  /**
   * Whether the node became reachable again after the pod started (so part of its deadline was time away). The
   * kubelet counts the deadline from the pod's start on the node; a start outside creation..now (an edge clock) is
   * not used.
   */
  static boolean awayWhileRunning(Pod p, Instant reachableSince) {
    if (reachableSince == null) return false;
    Instant started = created(p, reachableSince);
    try {
      Instant s = p.getStatus().getStartTime() == null ? null : Instant.parse(p.getStatus().getStartTime());
      if (s != null && !s.isBefore(started) && !s.isAfter(reachableSince)) started = s;
    } catch (DateTimeParseException e) {
      // the creation time then
    }
    return reachableSince.isAfter(started);
  }

  /**
   * What to record on a pre-pull pod its deadline killed ({@link Labels#REACHABLE_THROUGHOUT}), the first time it is
   * seen; null when there is nothing to record.
   */
  public static String reachabilityToRecord(Pod p, Instant reachableSince) {
    if (p.getStatus() == null || !"Failed".equals(p.getStatus().getPhase())
        || !"DeadlineExceeded".equals(p.getStatus().getReason())) return null;
    if (p.getMetadata().getAnnotations() != null
        && p.getMetadata().getAnnotations().containsKey(Labels.REACHABLE_THROUGHOUT)) return null;
    return String.valueOf(!awayWhileRunning(p, reachableSince));
  }

  /**
   * Whether the container's image is on the node: the runtime reported its image, or the container was created and
   * ran. A kubelet that kills a pod whose containers never started (evicted, its deadline, the node shut down) marks
   * them Terminated too, with reason ContainerStatusUnknown and no container: that is no image.
   */
  static boolean pulled(ContainerStatus c) {
    if (c.getImageID() != null && !c.getImageID().isEmpty()) return true;
    var t = c.getState() == null ? null : c.getState().getTerminated();
    return t != null && t.getContainerID() != null && !t.getContainerID().isEmpty()
        && !"ContainerStatusUnknown".equals(t.getReason());
  }

  /**
   * One view of two records: pre-pull pods and ImagePrePullJobs (a release whose method changed as KubeEdge came or
   * went has both). A node staged by either is staged; pulling outranks a failure, which the newer object would
   * have replaced.
   */
  public static Map<String, StageState> merge(Map<String, StageState> pods, Map<String, StageState> jobs) {
    if (jobs.isEmpty()) return pods;
    if (pods.isEmpty()) return jobs;
    Map<String, StageState> out = new HashMap<>(pods);
    jobs.forEach((node, s) -> out.merge(node, s, (a, b) -> rank(a) >= rank(b) ? a : b));
    return out;
  }

  private static int rank(StageState s) {
    return switch (s.kind()) {
      case STAGED -> 2;
      case PULLING -> 1;
      case FAILED -> 0;
    };
  }

  static StageState state(Pod p, Instant now, Duration timeout) {
    return state(p, now, timeout, null);
  }

  static StageState state(Pod p, Instant now, Duration timeout, Instant reachableSince) {
    Instant since = pullSince(created(p, now), reachableSince, now);
    List<ContainerStatus> statuses = p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? List.of()
        : p.getStatus().getContainerStatuses();
    int containers = p.getSpec() == null || p.getSpec().getContainers() == null ? 0 : p.getSpec().getContainers().size();
    int pulled = 0;
    for (ContainerStatus c : statuses) {
      if (pulled(c)) {
        pulled++;
        continue;
      }
      var waiting = c.getState() == null ? null : c.getState().getWaiting();
      if (waiting != null && PULL_ERRORS.contains(waiting.getReason())) {
        String message = waiting.getMessage();
        String recorded = recordedError(p, c.getImage());
        // a back-off that does not say why (kubelets before 1.32): the registry's error from the last pull instead
        if (recorded != null && "ImagePullBackOff".equals(waiting.getReason())
            && (message == null || message.isBlank() || BARE_BACK_OFF.matcher(message.strip()).matches())) {
          message = recorded;
        }
        String why = c.getImage() + ": " + (message == null || message.isBlank() ? waiting.getReason() : clip(message));
        boolean hopeless = HOPELESS.contains(waiting.getReason())
            || (message != null && NO_SUCH_IMAGE.matcher(message).find());
        if (hopeless) return StageState.failed(why, since);
        if (!now.isBefore(since.plus(timeout))) {
          return StageState.failed(why + " (still failing after " + timeout.toMinutes() + "m)", since);
        }
        // the kubelet's word and the last error, e.g. "ImagePullBackOff: reg/app:2.0: dial tcp ...: i/o timeout"
        return new StageState(StageState.Kind.PULLING, waiting.getReason() + (message == null || message.isBlank()
            ? "" : ": " + why), since);
      }
    }
    if (containers > 0 && pulled >= containers) return StageState.staged(since);
    // every container ran and exited 0: its image was there (the kubelet may not have reported the image)
    if ("Succeeded".equals(phase(p))) return StageState.staged(since);
    String podReason = p.getStatus() == null ? null : p.getStatus().getReason();
    if ("Failed".equals(phase(p)) && podReason != null && !"DeadlineExceeded".equals(podReason)) {
      // thrown out on its last attempt: say what threw it out
      String m = p.getStatus().getMessage();
      return StageState.failed("pre-pull pod " + podReason + (m == null || m.isBlank() ? "" : ": " + clip(m))
          + " (attempt " + attempt(p) + " of " + MAX_ATTEMPTS + ")", since);
    }
    if ("Failed".equals(phase(p)) || !now.isBefore(since.plus(timeout))) {
      return StageState.failed("images not pulled within " + timeout.toMinutes() + "m (spec.strategy.staging.timeout)"
          + (attempt(p) > 1 ? " (attempt " + attempt(p) + " of " + MAX_ATTEMPTS + ")" : ""), since);
    }
    return StageState.pulling(since);
  }

  /**
   * The pull error to record on the pod ({@link Labels#PULL_ERROR}): "image: message" of the first container whose
   * pull just failed with a message, when it is not the one recorded already; null when there is nothing new.
   */
  public static String pullErrorToRecord(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) return null;
    for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
      var waiting = c.getState() == null ? null : c.getState().getWaiting();
      if (waiting == null || !RECORDED.contains(waiting.getReason())) continue;
      if (waiting.getMessage() == null || waiting.getMessage().isBlank()) continue;
      String error = c.getImage() + ": " + clip(waiting.getMessage());
      String had = p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(Labels.PULL_ERROR);
      return error.equals(had) ? null : error;
    }
    return null;
  }

  /** The error recorded for {@code image} on the pod, without the image; null when none is. */
  private static String recordedError(Pod p, String image) {
    String had = p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(Labels.PULL_ERROR);
    String prefix = image + ": ";
    return had != null && had.startsWith(prefix) ? had.substring(prefix.length()) : null;
  }

  private static String phase(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  /** A pre-pull object's creation time; {@code now} when it has none that reads (no evidence of more). */
  static Instant created(io.fabric8.kubernetes.api.model.HasMetadata p, Instant now) {
    try {
      String t = p.getMetadata().getCreationTimestamp();
      return t == null ? now : Instant.parse(t);
    } catch (DateTimeParseException e) {
      return now;
    }
  }

  /** A kubelet's or KubeEdge's message, cut to 200 characters for status. */
  static String clip(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
