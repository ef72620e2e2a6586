package io.edgewave.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SitePullsTest {
  /** 10 Mbit/s. */
  static final double UPLINK = SitePulls.bytesPerSecond(10);
  /** 500 MB: 400 s alone on 10 Mbit/s. */
  static final double IMAGE = 500_000_000;

  @Test
  void aPullAloneTakesItsSizeOverTheUplink() {
    SitePulls pulls = new SitePulls();
    pulls.start("hz", UPLINK, "tc-1", "img:2", IMAGE, 0);
    assertEquals(400, pulls.nextFinish().getAsDouble(), 1e-9);
    assertEquals(List.of(), pulls.advance(399.9));
    List<SitePulls.Finished> done = pulls.advance(400);
    assertEquals(1, done.size());
    assertEquals(400, done.get(0).at(), 1e-9);
    assertEquals(400, done.get(0).seconds(), 1e-9);
  }

  @Test
  void twoPullsOnOneSiteEachGetHalfTheUplink() {
    SitePulls pulls = new SitePulls();
    long first = pulls.start("hz", UPLINK, "tc-1", "img:2", IMAGE, 0);
    long second = pulls.start("hz", UPLINK, "tc-2", "img:2", IMAGE, 0);
    pulls.advance(100);
    // from 0 to 100 s each got 625 kB/s, half of 1.25 MB/s
    assertEquals(IMAGE - 62_500_000, pulls.remaining(first), 1e-6);
    assertEquals(IMAGE - 62_500_000, pulls.remaining(second), 1e-6);
    long third = pulls.start("hz", UPLINK, "tc-3", "img:2", IMAGE, 100);
    assertEquals(IMAGE, pulls.remaining(third), 1e-6);
    List<SitePulls.Finished> done = pulls.advance(10_000);
    // 0-100: two at half (62.5 MB each); then three at a third: the first two need 437.5 MB more at 416.7 kB/s,
    // 1050 s, finishing at 1150; by then the third got 437.5 MB too and has 62.5 MB left, alone: 50 s more
    assertEquals(3, done.size());
    assertEquals(1150, done.get(0).at(), 1e-6);
    assertEquals(1150, done.get(1).at(), 1e-6);
    assertEquals(1200, done.get(2).at(), 1e-6);
  }

  @Test
  void twoPullsStartedTogetherOnOneSiteFinishTogetherInTwiceTheTime() {
    SitePulls pulls = new SitePulls();
    pulls.start("hz", UPLINK, "tc-1", "img:2", IMAGE, 0);
    pulls.start("hz", UPLINK, "tc-2", "img:2", IMAGE, 0);
    List<SitePulls.Finished> done = pulls.advance(1000);
    assertEquals(List.of(800.0, 800.0), done.stream().map(SitePulls.Finished::at).toList());
  }

  @Test
  void aPullThatStartsLaterFinishesLater() {
    SitePulls pulls = new SitePulls();
    pulls.start("hz", UPLINK, "tc-1", "img:2", IMAGE, 0);
    pulls.start("hz", UPLINK, "tc-2", "img:2", IMAGE, 50);
    List<SitePulls.Finished> done = pulls.advance(2000);
    assertEquals(List.of("tc-1", "tc-2"), done.stream().map(f -> f.pull().node()).toList());
    // tc-1 has 437.5 MB left at 50 s, at half: 700 s more (750); tc-2 then has 62.5 MB left, alone: 50 s (800)
    assertEquals(750, done.get(0).at(), 1e-6);
    assertEquals(800, done.get(1).at(), 1e-6);
  }

  @Test
  void pullsAtDifferentSitesDoNotShareAnUplink() {
    SitePulls pulls = new SitePulls();
    pulls.start("hz", UPLINK, "tc-hz", "img:2", IMAGE, 0);
    pulls.start("sh", UPLINK, "tc-sh", "img:2", IMAGE, 0);
    assertEquals(List.of(400.0, 400.0), pulls.advance(400).stream().map(SitePulls.Finished::at).toList());
  }

  @Test
  void aCancelledPullGivesItsShareToTheOthersOfItsSite() {
    SitePulls pulls = new SitePulls();
    pulls.start("hz", UPLINK, "tc-1", "img:2", IMAGE, 0);
    long second = pulls.start("hz", UPLINK, "tc-2", "img:2", IMAGE, 0);
    pulls.cancel(second, 200);
    assertEquals(1, pulls.active("hz"));
    // 125 MB by 200 s at half, the other 375 MB alone: 300 s more (at half all along it would end at 800)
    List<SitePulls.Finished> done = pulls.advance(1000);
    assertEquals(1, done.size());
    assertEquals(500, done.get(0).at(), 1e-6);
  }

  @Test
  void thePeakCountsPullsRunningAtOnceAtEachSite() {
    SitePulls pulls = new SitePulls();
    pulls.start("hz", UPLINK, "tc-1", "img:2", IMAGE, 0);
    pulls.start("hz", UPLINK, "tc-2", "img:2", IMAGE, 0);
    pulls.start("hz", UPLINK, "tc-3", "img:2", IMAGE, 0);
    pulls.start("sh", UPLINK, "tc-4", "img:2", IMAGE, 0);
    pulls.advance(5000);
    assertEquals(0, pulls.active("hz"));
    // one after another after the first three ended: the peak stays 3
    pulls.start("hz", UPLINK, "tc-1", "img:3", IMAGE, 5000);
    pulls.advance(6000);
    pulls.start("hz", UPLINK, "tc-2", "img:3", IMAGE, 6000);
    assertEquals(Map.of("hz", 3, "sh", 1), pulls.peaks());
  }

  @Test
  void aPullThatFinishedBeforeTheNextStartIsNotCountedWithIt() {
    SitePulls pulls = new SitePulls();
    pulls.start("hz", UPLINK, "tc-1", "img:2", IMAGE, 0);
    // the start at 500 first moves the world to 500: the first pull ended at 400
    pulls.start("hz", UPLINK, "tc-2", "img:2", IMAGE, 500);
    assertEquals(Map.of("hz", 1), pulls.peaks());
    assertEquals(400, pulls.advance(500).get(0).at(), 1e-6);
  }

  @Test
  void timeDoesNotGoBackwards() {
    SitePulls pulls = new SitePulls();
    pulls.advance(10);
    assertThrows(IllegalArgumentException.class, () -> pulls.advance(9));
  }
}
