package io.edgewave.operator.demo;

import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;

/**
 * Pod statuses as a kubelet reports them while it pulls images: for the operator's pre-pull pods (containers that
 * exit at once) and for a workload pod waiting for its image. Pure: the stages in, the status out.
 */
public final class PullStatuses {
  /** Where one container's image is. */
  public enum Stage { PULLING, PULLED, ERR_IMAGE_PULL, IMAGE_PULL_BACK_OFF }

  /** One container of a pod, its image, where the pull is and the registry's error if it failed. */
  public record ContainerPull(String container, String image, Stage stage, String error) {
    public static ContainerPull of(String container, String image, Stage stage) {
      return new ContainerPull(container, image, stage, null);
    }

    boolean failed() { return stage == Stage.ERR_IMAGE_PULL || stage == Stage.IMAGE_PULL_BACK_OFF; }
  }

  private PullStatuses() {}

  /**
   * A pre-pull pod: Pending while any image is pulling or failing (the kubelet keeps retrying a failed pull),
   * Succeeded once every container pulled its image and ran (the command exits 0 at once).
   */
  public static PodStatus prePull(List<ContainerPull> containers, Instant now) {
    boolean done = containers.stream().allMatch(c -> c.stage() == Stage.PULLED);
    return new PodStatusBuilder()
        .withPhase(done ? "Succeeded" : "Pending")
        .withConditions(new PodCondition(null, now.toString(), null, null, done ? "PodCompleted" : "ContainersNotReady",
            "False", "Ready"))
        .withContainerStatuses(containers.stream().map(c -> container(c, now, true)).toList())
        .build();
  }

  /** A workload pod whose containers wait for their images (it turns Running once they are there). */
  public static PodStatus waiting(List<ContainerPull> containers, Instant now) {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withConditions(new PodCondition(null, now.toString(), null, null, "ContainersNotReady", "False", "Ready"))
        .withContainerStatuses(containers.stream().map(c -> container(c, now, false)).toList())
        .build();
  }

  /** The image ID a runtime reports: repository and a digest (here a stable hash of the name). */
  public static String imageId(String image) {
    int tag = image.lastIndexOf(':');
    String repository = tag > image.lastIndexOf('/') ? image.substring(0, tag) : image;
    return repository + "@sha256:" + Labels.sha256(image);
  }

  /** The kubelet's message for a failed pull: it names the image and carries the registry's error. */
  public static String message(ContainerPull c) {
    return c.stage() == Stage.IMAGE_PULL_BACK_OFF
        ? "Back-off pulling image \"" + c.image() + "\": " + c.error()
        : "Failed to pull image \"" + c.image() + "\": " + c.error();
  }

  private static ContainerStatus container(ContainerPull c, Instant now, boolean exitsAtOnce) {
    ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.container()).withImage(c.image())
        .withReady(false).withRestartCount(0);
    switch (c.stage()) {
      case PULLING -> b.withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState();
      case ERR_IMAGE_PULL -> b.withNewState().withNewWaiting().withReason("ErrImagePull").withMessage(message(c))
          .endWaiting().endState();
      case IMAGE_PULL_BACK_OFF -> b.withNewState().withNewWaiting().withReason("ImagePullBackOff")
          .withMessage(message(c)).endWaiting().endState();
      case PULLED -> {
        b.withImageID(imageId(c.image()));
        if (exitsAtOnce) {
          b.withNewState().withNewTerminated().withExitCode(0).withReason("Completed").withStartedAt(now.toString())
              .withFinishedAt(now.toString()).endTerminated().endState();
        } else {
          b.withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState();
        }
      }
    }
    return b.build();
  }
}
