package io.edgewave.operator.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.Counts;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseCommandsTest {
  static EdgeRelease staged(String method) {
    EdgeRelease er = new EdgeRelease();
    er.setMetadata(new ObjectMetaBuilder().withName("scan-upload").withNamespace("logistics").build());
    EdgeReleaseStatus s = new EdgeReleaseStatus();
    s.setPhase(Phase.Progressing);
    s.setCurrentWave(1);
    WaveStatus w = new WaveStatus();
    w.setName("canary");
    w.setTargets(10);
    w.setStaged(7);
    w.setStaging(2);
    w.setFailed(1);
    s.setWaves(List.of(w));
    Counts t = new Counts(100, 0, 0, 1, 0);
    t.setStaged(30);
    t.setStaging(8);
    s.setTotals(t);
    s.setStagingMethod(method);
    er.setStatus(s);
    return er;
  }

  @Test
  void statusShowsStagingPerWaveAndInTotalWhenTheReleaseStages() {
    String d = ReleaseCommands.detail(staged("Pod"), Instant.parse("2026-12-03T00:00:00Z"));
    assertTrue(d.contains("   7 staged    2 pulling"), d);
    assertTrue(d.contains("Staging:    30 staged ahead, 8 pulling (pre-pull pods; failures count as failed)"), d);
    String plain = ReleaseCommands.detail(staged(null), Instant.parse("2026-12-03T00:00:00Z"));
    assertFalse(plain.contains("staged"), "a release that does not stage shows no staging: " + plain);
  }

  @Test
  void timesAreForPeopleRelativeToNowWithTheAbsoluteTimeToTheSecond() {
    EdgeRelease er = staged(null);
    er.getStatus().setPhase(Phase.Baking);
    er.getStatus().setMessage("baking wave canary until 2026-12-03T00:08:12Z");
    er.getStatus().setNextStepAt("2026-12-03T00:08:12Z");
    er.getStatus().setStartedAt("2026-12-02T22:55:01.796110521Z");
    String d = ReleaseCommands.detail(er, Instant.parse("2026-12-03T00:00:00Z"));
    assertTrue(d.contains("Next step:  in 8 m 12 s (2026-12-03T00:08:12Z)"), d);
    assertTrue(d.contains("Started:    1 h 4 m ago (2026-12-02T22:55:01Z)"), d);
    assertFalse(d.contains(".796"), "no nanoseconds for people: " + d);
  }

  @Test
  void wideShowsWhenEachReleaseStartedAndTakesItsNextStep() {
    EdgeRelease er = staged(null);
    er.getStatus().setStartedAt("2026-12-02T22:55:01.796110521Z");
    er.getStatus().setNextStepAt("2026-12-03T00:08:12Z");
    String t = ReleaseCommands.table(List.of(er), false, true, Instant.parse("2026-12-03T00:00:00Z"));
    assertTrue(t.contains("STARTED") && t.contains("NEXT STEP"), t);
    assertTrue(t.contains("1 h 4 m ago (2026-12-02T22:55:01Z)"), t);
    assertTrue(t.contains("in 8 m 12 s (2026-12-03T00:08:12Z)"), t);
    assertFalse(ReleaseCommands.table(List.of(er), false, false, Instant.parse("2026-12-03T00:00:00Z"))
        .contains("NEXT STEP"), "the default table stays narrow");
  }
}
