package io.edgewave.operator.plan;

import io.edgewave.operator.api.v1alpha1.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a strategy cuts the targets into waves: the waves as listed, each a fixed count, percentage or selector, or
 * waves that grow geometrically. Sealed, so that a new sizing rule is a new record here and its parser in
 * spec/StrategySection; the planner asks only for {@link #waves} and {@link #orphan} and does not change.
 */
public sealed interface WaveSizing {
  /** The waves for {@code total} targets, in order; targets they leave over go to a final "rest" wave. */
  List<WavePolicy> waves(int total);

  /**
   * The policy of a wave that started but is no longer in the spec (renamed, removed, or out of an exponential plan
   * since the fleet changed size): it keeps its members and is judged as this says.
   */
  WavePolicy orphan(String name);

  /** spec.strategy.waves: each wave as written. */
  record Listed(List<WavePolicy> waves) implements WaveSizing {
    public Listed {
      waves = List.copyOf(waves);
    }

    @Override public List<WavePolicy> waves(int total) { return waves; }

    @Override public WavePolicy orphan(String name) { return WavePolicy.rest(name); }
  }

  /**
   * spec.strategy.exponential: a canary of {@code canary} nodes, then each wave {@code factor} times the one before,
   * at most {@code maxBatch}; every wave bakes for {@code bakeTime} and tolerates {@code maxFailures}.
   */
  record Exponential(int canary, double factor, Amount maxBatch, Duration bakeTime, Amount maxFailures)
      implements WaveSizing {
    public Exponential {
      bakeTime = bakeTime == null ? Duration.ZERO : bakeTime;
    }

    /** @throws PlanException when the fleet needs more than {@link Limits#MAX_WAVES} waves */
    @Override public List<WavePolicy> waves(int total) {
      int cap = maxBatch == null ? Integer.MAX_VALUE : maxBatch.sizeOf(total);
      List<WavePolicy> out = new ArrayList<>();
      long size = Math.min(canary, cap);
      int covered = 0;
      while (covered < total) {
        if (out.size() == Limits.MAX_WAVES) {
          throw new PlanException("spec.strategy.exponential", "gives more than " + Limits.MAX_WAVES + " waves for "
              + total + " targets; raise maxBatch or factor");
        }
        int n = (int) Math.max(1, Math.min(size, total - covered));
        String name = out.isEmpty() ? "canary" : "wave-" + (out.size() + 1);
        out.add(new WavePolicy(name, Amount.count(n), null, List.of(), bakeTime, maxFailures, false));
        covered += n;
        size = Math.min(cap, (long) Math.ceil(size * factor));
      }
      return out;
    }

    @Override public WavePolicy orphan(String name) {
      return new WavePolicy(name, null, null, List.of(), bakeTime, maxFailures, false, true);
    }
  }
}
