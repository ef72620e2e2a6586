package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.Progress;
import io.edgewave.operator.rollout.WaveRoster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RosterStoreTest {
  @Test
  void aRosterComesBackExactlyAsWrittenWithWaveOrderAndEmptyWaves() {
    Map<String, List<String>> waves = new LinkedHashMap<>();
    waves.put("canary", List.of());
    waves.put("early", List.of("hz-01-edge-1", "sh-02-gpu-3"));
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) rest.add("site-" + (i / 100) + "-node-" + i);
    waves.put("rest", rest);
    WaveRoster roster = new WaveRoster("3cb6d91fde.1764547200", waves);
    byte[] bytes = RosterStore.encode(roster);
    WaveRoster back = RosterStore.decode(bytes);
    assertEquals(roster, back);
    assertEquals(List.of("canary", "early", "rest"), List.copyOf(back.waves().keySet()));
    // a ConfigMap holds at most 1 MiB; 10,000 names must stay far below it
    assertTrue(bytes.length < 100_000, bytes.length + " bytes");
  }

  @Test
  void anUnreadableRosterIsNoneRatherThanAnError() {
    assertNull(RosterStore.decode(new byte[] {1, 2, 3}));
  }

  @Test
  void aRosterOfAnotherAttemptFreezesNothing() {
    WaveRoster roster = new WaveRoster("r1.100", Map.of("canary", List.of("a")));
    Progress same = new Progress("r1", null, io.edgewave.operator.api.v1alpha1.Phase.Progressing, List.of(),
        java.time.Instant.ofEpochSecond(100), null);
    Progress later = new Progress("r1", null, io.edgewave.operator.api.v1alpha1.Phase.Progressing, List.of(),
        java.time.Instant.ofEpochSecond(200), null);
    assertEquals(Map.of("canary", List.of("a")), WaveRoster.frozenFor(roster, same, "r1"));
    assertEquals(Map.of(), WaveRoster.frozenFor(roster, later, "r1"), "an undo to r1 starts a new attempt");
    assertEquals(Map.of(), WaveRoster.frozenFor(roster, same, "r2"));
  }
}
