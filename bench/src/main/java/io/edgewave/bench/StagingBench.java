package io.edgewave.bench;

import io.edgewave.operator.demo.DemoPlans;
import io.edgewave.operator.demo.StagingComparison;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Staged against unstaged rollouts (issue 15), in one run: rollout-plans/scan-upload-unstaged.yaml, then
 * scan-upload-staged.yaml (maxPullsPerSite 2), each on a fresh embedded API server with the real operator and
 * simulated kubelets that model images (a pull shares its site's uplink with the site's other pulls) over a fleet
 * whose nodes run the previous image. Per-node downtime (old pod gone to new pod Ready) p50 / p99 / max in
 * simulated seconds, rollout wall time, and the most pulls at once at any site, which for the staged plan must
 * not exceed its budget: exits 1 if it does. Four centers per site.
 * Usage: StagingBench [centers] [image MB] [uplink Mbit/s] [time scale]
 */
public final class StagingBench {
  private StagingBench() {}

  public static void main(String[] args) throws Exception {
    Stats.exitAfter(() -> {
      if (!run(args)) {
        System.out.flush();
        System.exit(1);
      }
    });
  }

  static boolean run(String[] args) throws Exception {
    int centers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 500;
    int uplink = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    double scale = args.length > 3 ? Double.parseDouble(args[3]) : 120;
    int sites = Math.max(1, (centers + 3) / 4);
    System.out.printf("%d centers over %d sites of %d Mbit/s, a %d MB image, time x%.0f (pulls, bakes, deadlines)%n",
        centers, sites, uplink, megabytes, scale);
    var comparison = new StagingComparison(new StagingComparison.Config(centers, sites, megabytes * 1_000_000,
        uplink, scale, 1, Duration.ofMinutes(30)), System.out);
    List<StagingComparison.Result> results = comparison.run(DemoPlans.comparison(Path.of("rollout-plans")));
    System.out.printf("%n| plan | phase | nodes | downtime p50 s | p99 s | max s | wall s | wall, simulated min "
        + "| peak pulls per site | budget |%n");
    System.out.printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |%n");
    boolean ok = true;
    for (StagingComparison.Result r : results) {
      System.out.printf("| %s | %s | %d | %.0f | %.0f | %.0f | %.1f | %.0f | %d | %s |%n", r.release(), r.phase(),
          r.nodes(), r.downtime().p50(), r.downtime().p99(), r.downtime().max(), r.wallSeconds(),
          r.simulatedWallSeconds() / 60, r.peakPullsPerSite(), r.budget() == null ? "-" : r.budget());
      if (r.overBudget()) {
        System.out.printf("FAIL: %s ran %d pulls at once at a site, over its budget of %d%n", r.release(),
            r.peakPullsPerSite(), r.budget());
        ok = false;
      }
      if (!"Succeeded".equals(r.phase())) {
        System.out.printf("FAIL: %s ended %s%n", r.release(), r.phase());
        ok = false;
      }
    }
    return ok;
  }
}
