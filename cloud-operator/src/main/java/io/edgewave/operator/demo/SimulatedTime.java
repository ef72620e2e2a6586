package io.edgewave.operator.demo;

/**
 * Simulated time on the real clock, sped up: {@code scale} simulated seconds pass per real second, so a 500 MB
 * pull over 10 Mbit/s (420 simulated seconds) takes 3.5 real seconds at scale 120. Counts from when it is made.
 */
public final class SimulatedTime {
  private final double scale;
  private final long origin = System.nanoTime();

  public SimulatedTime(double scale) {
    if (!(scale > 0)) throw new IllegalArgumentException("time scale must be > 0: " + scale);
    this.scale = scale;
  }

  public double scale() { return scale; }

  /** Simulated seconds since this was made. */
  public double now() {
    return (System.nanoTime() - origin) / 1e9 * scale;
  }

  /** The real nanoseconds that {@code simulatedSeconds} take, rounded up (so a timer set with it is never early). */
  public long realNanos(double simulatedSeconds) {
    return (long) Math.ceil(Math.max(0, simulatedSeconds) / scale * 1e9);
  }
}
