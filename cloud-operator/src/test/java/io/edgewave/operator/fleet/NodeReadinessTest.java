package io.edgewave.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeReadinessTest {
  static NodeCondition condition(String type, String status, String since) {
    NodeCondition c = new NodeCondition();
    c.setType(type);
    c.setStatus(status);
    c.setLastTransitionTime(since);
    return c;
  }

  static Node node(NodeCondition... conditions) {
    return new NodeBuilder().withNewMetadata().withName("gpu-1").endMetadata().withNewStatus()
        .withConditions(List.of(conditions)).endStatus().build();
  }

  @Test
  void offlineSinceTheEarliestConditionThatHoldsItOffline() {
    Node n = node(condition("Ready", "Unknown", "2026-12-03T01:05:00Z"),
        condition(NodeReadiness.PROBE_CONDITION, "False", "2026-12-03T01:00:30Z"));
    assertFalse(NodeReadiness.online(n));
    assertEquals(Instant.parse("2026-12-03T01:00:30Z"), NodeReadiness.offlineSince(n));
    Node readyOnly = node(condition("Ready", "False", "2026-12-03T01:05:00Z"),
        condition(NodeReadiness.PROBE_CONDITION, "True", "2026-12-02T00:00:00Z"));
    assertEquals(Instant.parse("2026-12-03T01:05:00Z"), NodeReadiness.offlineSince(readyOnly),
        "a healthy probe's old transition is not when it went offline");
  }

  @Test
  void onlineOrWithoutATimeNoOfflineSince() {
    Node up = node(condition("Ready", "True", "2026-12-03T01:05:00Z"));
    assertTrue(NodeReadiness.online(up));
    assertNull(NodeReadiness.offlineSince(up));
    assertNull(NodeReadiness.offlineSince(node(condition("Ready", "False", null))), "no time, no evidence");
    assertNull(NodeReadiness.offlineSince(node(condition("Ready", "False", "yesterday"))));
  }

  @Test
  void onlineSinceTheLatestReturnOfTheConditionsThatMakeItOnline() {
    Node n = node(condition("Ready", "True", "2026-12-03T01:05:00Z"),
        condition(NodeReadiness.PROBE_CONDITION, "True", "2026-12-03T01:00:30Z"));
    assertEquals(Instant.parse("2026-12-03T01:05:00Z"), NodeReadiness.onlineSince(n),
        "its link to cloudcore came back last: reachable since then");
    assertNull(NodeReadiness.onlineSince(node(condition("Ready", "Unknown", "2026-12-03T01:05:00Z"))), "offline");
  }
}
