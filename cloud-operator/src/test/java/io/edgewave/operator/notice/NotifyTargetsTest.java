package io.edgewave.operator.notice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NotifyTargetsTest {
  static final List<String> DEFAULTS = List.of("edgewave-system/release-news");

  @Test
  void withoutTheAnnotationTheOperatorDefaultsApply() {
    assertEquals(new NotifyTargets(DEFAULTS, List.of()), NotifyTargets.of(null, DEFAULTS));
    assertFalse(NotifyTargets.notifying(null, List.of()), "no annotation, no default: nothing is recorded");
  }

  @Test
  void theAnnotationReplacesTheDefaultsInItsOrderWithoutRepeats() {
    assertEquals(List.of("logistics/ops-dingtalk", "ops/slack"),
        NotifyTargets.of(" logistics/ops-dingtalk, ops/slack,logistics/ops-dingtalk", DEFAULTS).destinations());
  }

  @Test
  void noneTurnsNotificationsOffForOneRelease() {
    assertFalse(NotifyTargets.notifying("none", DEFAULTS));
  }

  @Test
  void aBadEntryIsAProblemNamingTheAnnotationAndTheFixAndLosesNothingElse() {
    NotifyTargets t = NotifyTargets.of("logistics/ops-dingtalk,ops-slack,Bad/Name", DEFAULTS);
    assertEquals(List.of("logistics/ops-dingtalk"), t.destinations());
    assertEquals(2, t.problems().size());
    assertTrue(t.problems().get(0).startsWith("edgewave.io/notify: \"ops-slack\" is not namespace/secret; write e.g."
        + " logistics/ops-dingtalk"), t.problems().get(0));
    assertTrue(NotifyTargets.notifying("logistics/ops-dingtalk,ops-slack", DEFAULTS));
  }

  @Test
  void anAnnotationWithNothingUsableIsAProblemAndTheDefaultsStillHearTheRelease() {
    NotifyTargets t = NotifyTargets.of(" ", DEFAULTS);
    assertEquals(DEFAULTS, t.destinations(), "a typo must not silence a release");
    assertEquals(1, t.problems().size());
    NotifyTargets bad = NotifyTargets.of("ops-slack", DEFAULTS);
    assertEquals(DEFAULTS, bad.destinations());
    assertEquals(1, bad.problems().size());
    assertEquals(List.of(), NotifyTargets.of("none", DEFAULTS).destinations(), "none is the way to silence one");
  }
}
