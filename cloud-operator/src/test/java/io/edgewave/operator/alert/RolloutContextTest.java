package io.edgewave.operator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rollout context is read from the Deployments the caller's cache holds, once per batch of transitions. */
class RolloutContextTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  static Deployment dispatched(String release, String revision, String node, Instant at, String wave, String manager) {
    return new DeploymentBuilder().withNewMetadata().withName(release + "-" + node)
        .withLabels(Map.of(Labels.MANAGED_BY, manager, Labels.RELEASE, release, Labels.NODE, node, Labels.REVISION, revision))
        .withAnnotations(Map.of(Labels.NODE_NAME, node, Labels.DISPATCHED_AT, at.toString(), Labels.WAVE, wave))
        .endMetadata().build();
  }

  @Test
  void tellsTheLatestReleaseDispatchedToTheNode() {
    var context = new RolloutContext(() -> List.of(
        dispatched("scan-upload", "aaaa", "gpu-1", T0.minusSeconds(600), "early", Labels.MANAGER),
        dispatched("camera-inference", "3f2a", "gpu-1", T0.minusSeconds(40), "batch-1", Labels.MANAGER),
        dispatched("camera-inference", "3f2a", "gpu-2", T0.minusSeconds(5), "batch-2", Labels.MANAGER)));
    assertEquals("lost 40 s after release camera-inference revision 3f2a was applied in wave batch-1",
        context.describe("gpu-1", "lost", T0));
  }

  @Test
  void saysNothingOfOldDispatchesOtherManagersOrUnknownNodes() {
    var context = new RolloutContext(() -> List.of(
        dispatched("camera-inference", "3f2a", "gpu-1", T0.minusSeconds(3601), "batch-1", Labels.MANAGER),
        dispatched("camera-inference", "3f2a", "gpu-2", T0.minusSeconds(5), "batch-1", "helm")));
    assertNull(context.describe("gpu-1", "lost", T0));
    assertNull(context.describe("gpu-2", "lost", T0));
    assertNull(context.describe("gpu-3", "lost", T0));
  }

  @Test
  void aFailingCacheGivesAlertsWithoutContext() {
    var context = new RolloutContext(() -> {
      throw new IllegalStateException("informer not started");
    });
    assertNull(context.describe("gpu-1", "lost", T0));
  }

  @Test
  void readsTheCacheOncePerBatchNotOncePerNode() {
    AtomicInteger reads = new AtomicInteger();
    var context = new RolloutContext(() -> {
      reads.incrementAndGet();
      return List.of(dispatched("r", "1", "gpu-1", T0.minusSeconds(1), "w", Labels.MANAGER),
          dispatched("r", "1", "gpu-2", T0.minusSeconds(2), "w", Labels.MANAGER));
    });
    Map<String, Deployment> latest = context.latestByNode();
    assertEquals("lost 1 s after release r revision 1 was applied in wave w", RolloutContext.describe(latest.get("gpu-1"), "lost", T0));
    assertEquals("lost 2 s after release r revision 1 was applied in wave w", RolloutContext.describe(latest.get("gpu-2"), "lost", T0));
    assertEquals(1, reads.get());
  }

  @Test
  void fromCacheIsEmptyUntilTheOperatorHasStarted() {
    assertEquals(List.of(), RolloutContext.fromCache(() -> null).get());
  }
}
