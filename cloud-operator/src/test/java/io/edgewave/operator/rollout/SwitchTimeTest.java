package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchTimeTest {
  static final Instant SWITCHED = Instant.parse("2026-12-03T01:00:00Z");
  static final Instant SEEN = SWITCHED.plusSeconds(20);

  static NodeView node(Instant dispatchedAt, Instant podReadySince) {
    return new NodeView("gpu-1", Map.of(), true, "r2", NodeView.PodState.READY, null, dispatchedAt, "r1", null,
        podReadySince, 0, "r2@x", null);
  }

  @Test
  void fromTheSwitchToThePodsReadyCondition() {
    assertEquals(Duration.ofSeconds(14), SwitchTime.of(node(SWITCHED, SWITCHED.plusSeconds(14)), SEEN));
  }

  @Test
  void anEdgeClockAheadOrBehindFallsBackToWhenTheOperatorSawItReady() {
    assertEquals(Duration.ofSeconds(20), SwitchTime.of(node(SWITCHED, SEEN.plusSeconds(300)), SEEN), "ahead");
    assertEquals(Duration.ofSeconds(20), SwitchTime.of(node(SWITCHED, SWITCHED.minusSeconds(300)), SEEN), "behind");
    assertEquals(Duration.ofSeconds(20), SwitchTime.of(node(SWITCHED, null), SEEN), "no condition time");
  }

  @Test
  void anInstallIsNoDowntime() {
    NodeView fresh = new NodeView("gpu-1", Map.of(), true, "r2", NodeView.PodState.READY, null, SWITCHED, null, null,
        SWITCHED.plusSeconds(14), 0, "r2@x", null);
    assertNull(SwitchTime.of(fresh, SEEN), "no pod of the release ran there before");
  }

  @Test
  void noSwitchTimeNoMeasure() {
    assertNull(SwitchTime.of(node(null, SEEN), SEEN), "a Deployment from before dispatch times were recorded");
    assertNull(SwitchTime.of(null, SEEN));
  }
}
