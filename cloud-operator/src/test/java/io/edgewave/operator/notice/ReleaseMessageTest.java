package io.edgewave.operator.notice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.Notice;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseMessageTest {
  static final String AT = "2026-12-01T08:00:00Z";

  @Test
  void theApproveCommandIsTheOneTheCliTakes() {
    assertEquals("kubectl edgewave approve scan-upload --wave early -n logistics",
        ReleaseMessage.approveCommand("logistics", "scan-upload", "early"));
  }

  @Test
  void aBatchBecomesOneTitleAndOneLinePerEventWithTheCommandUnderTheApproval() {
    ReleaseMessage m = ReleaseMessage.of("logistics", "scan-upload", "uid-1", List.of(
        new Notice(4, "WAVE_COMPLETED", AT, "canary", "1/3 canary: 3 ready, 0 failed"),
        new Notice(5, "AWAITING_APPROVAL", AT, "early", null)), false);
    assertEquals("edgewave: logistics/scan-upload: wave canary completed, waiting for approval", m.title());
    assertEquals("- wave canary completed: 1/3 canary: 3 ready, 0 failed\n"
        + "- wave early is waiting for approval\n"
        + "  approve: `kubectl edgewave approve scan-upload --wave early -n logistics`\n", m.lines("- ", "`", "`"));
    assertEquals("event uid-1/4 .. 5", m.footer());
    assertEquals(List.of("uid-1/4", "uid-1/5"), m.items().stream().map(ReleaseMessage.Item::id).toList());
    assertTrue(m.needsAction());
  }

  @Test
  void aPossibleRepeatSaysSo() {
    ReleaseMessage m = ReleaseMessage.of("logistics", "scan-upload", "uid-1",
        List.of(new Notice(9, "SUCCEEDED", AT, null, "30 of 30 nodes ready")), true);
    assertEquals("edgewave: logistics/scan-upload: succeeded", m.title());
    assertTrue(m.footer().startsWith("event uid-1/9 (may repeat"), m.footer());
    assertFalse(m.needsAction());
  }

  @Test
  void aLongBatchListsTheFirstKindsAndCountsTheRest() {
    ReleaseMessage m = ReleaseMessage.of("ns", "r", "u", List.of(new Notice(1, "ROLLOUT_STARTED", AT, null, null),
        new Notice(2, "WAVE_STARTED", AT, "a", null), new Notice(3, "PAUSED", AT, null, null),
        new Notice(4, "RESUMED", AT, null, null), new Notice(5, "HALTED", AT, null, null)), false);
    assertEquals("edgewave: ns/r: rollout started, wave a started, paused and 2 more", m.title());
  }
}
