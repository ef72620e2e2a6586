package io.edgewave.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DowntimesTest {
  @Test
  void downtimeRunsFromTheOldPodGoneToTheNewPodReady() {
    Downtimes d = new Downtimes();
    d.gone("scan-upload", "tc-1", 100);
    assertEquals(1, d.open());
    d.ready("scan-upload", "tc-1", "r2", 520);
    assertEquals(List.of(new Downtimes.Sample("scan-upload", "tc-1", "r2", 100, 520)), d.samples());
    assertEquals(420, d.samples().get(0).seconds(), 1e-9);
    assertEquals(0, d.open());
  }

  @Test
  void aNodeThatRanNoPodBeforeRecordsNoDowntime() {
    Downtimes d = new Downtimes();
    d.ready("scan-upload", "tc-1", "r1", 5);
    assertEquals(List.of(), d.samples());
  }

  @Test
  void aSecondReadyOfTheSamePodRecordsNothingMore() {
    Downtimes d = new Downtimes();
    d.gone("scan-upload", "tc-1", 0);
    d.ready("scan-upload", "tc-1", "r2", 10);
    d.ready("scan-upload", "tc-1", "r2", 30);
    assertEquals(1, d.samples().size());
  }

  @Test
  void anOutageCountsFromItsFirstDeletion() {
    Downtimes d = new Downtimes();
    d.gone("scan-upload", "tc-1", 0);
    d.gone("scan-upload", "tc-1", 7);
    d.ready("scan-upload", "tc-1", "r3", 10);
    assertEquals(10, d.samples().get(0).seconds(), 1e-9);
  }

  @Test
  void releasesOnOneNodeHaveTheirOwnOutages() {
    Downtimes d = new Downtimes();
    d.gone("scan-upload", "tc-1", 0);
    d.gone("camera", "tc-1", 5);
    d.ready("camera", "tc-1", "c2", 6);
    d.ready("scan-upload", "tc-1", "r2", 20);
    assertEquals(List.of(1.0), d.of("camera", "c2").stream().map(Downtimes.Sample::seconds).toList());
    assertEquals(List.of(20.0), d.of("scan-upload", "r2").stream().map(Downtimes.Sample::seconds).toList());
    assertEquals(List.of(), d.of("scan-upload", "r1"));
  }

  @Test
  void theSummaryGivesNearestRankPercentilesAndTheMax() {
    List<Downtimes.Sample> samples = new ArrayList<>();
    for (int i = 1; i <= 100; i++) samples.add(new Downtimes.Sample("r", "tc-" + i, "r2", 0, i));
    Downtimes.Summary s = Downtimes.Summary.of(samples);
    assertEquals(new Downtimes.Summary(100, 50, 99, 100, 50.5), s);
    assertTrue(Double.isNaN(Downtimes.Summary.of(List.of()).p50()));
  }
}
