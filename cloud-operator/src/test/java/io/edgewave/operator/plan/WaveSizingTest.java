package io.edgewave.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.Limits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaveSizingTest {
  @Test
  void listedWavesAreTheSameWhateverTheFleetSize() {
    WaveSizing listed = new WaveSizing.Listed(List.of(Fleet.sized("canary", "1"), Fleet.sized("early", "10%")));
    assertEquals(listed.waves(10), listed.waves(10_000));
    assertEquals(List.of("canary", "early"), listed.waves(3).stream().map(WavePolicy::name).toList());
  }

  @Test
  void exponentialWavesCoverTheFleetExactlyAndAreNamedCanaryThenWaveN() {
    var e = new WaveSizing.Exponential(3, 2, null, Duration.ofMinutes(5), Amount.parse("10%"));
    List<WavePolicy> waves = e.waves(40);
    assertEquals(List.of(3, 6, 12, 19), waves.stream().map(w -> w.size().value()).toList());
    assertEquals(List.of("canary", "wave-2", "wave-3", "wave-4"), waves.stream().map(WavePolicy::name).toList());
    assertTrue(waves.stream().allMatch(w -> w.bakeTime().equals(Duration.ofMinutes(5))));
  }

  @Test
  void exponentialNeedingMoreThanTheWaveLimitNamesTheFieldAndTheFix() {
    var slow = new WaveSizing.Exponential(1, 1.1, Amount.parse("1"), Duration.ZERO, null);
    assertEquals(Limits.MAX_WAVES, slow.waves(Limits.MAX_WAVES).size());
    PlanException e = assertThrows(PlanException.class, () -> slow.waves(Limits.MAX_WAVES + 1));
    assertEquals("spec.strategy.exponential: gives more than " + Limits.MAX_WAVES + " waves for "
        + (Limits.MAX_WAVES + 1) + " targets; raise maxBatch or factor", e.getMessage());
  }

  @Test
  void aStartedWaveNoLongerInTheSpecIsJudgedAsTheSizingSays() {
    WavePolicy listedOrphan = new WaveSizing.Listed(List.of()).orphan("renamed");
    assertEquals(WavePolicy.rest("renamed"), listedOrphan);
    WavePolicy expOrphan = new WaveSizing.Exponential(1, 2, null, Duration.ofMinutes(9), Amount.parse("2"))
        .orphan("wave-7");
    assertEquals(new WavePolicy("wave-7", null, null, List.of(), Duration.ofMinutes(9), Amount.parse("2"), false, true),
        expOrphan);
  }
}
