package io.edgewave.bench;

import io.edgewave.operator.fleet.FailureDetector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * False positives of the failure detector over a simulated hour: 10,000 healthy nodes beating every h = 10 s with
 * random phase, delivery delay jitter, 1 % loss and one broker restart. The detector is pure, so an hour runs in
 * seconds, in event order, with the real code. Two loss models, because they differ by orders of magnitude:
 * <ul>
 *   <li>{@code packet}: 1 % of packets lost on the link. Heartbeats ride TCP, so a lost packet is retransmitted
 *       (RTO 1 s, doubling per repeated loss): a late heartbeat, never a missing one.</li>
 *   <li>{@code message}: 1 % of heartbeats lost outright (a QoS 0 message dropped by a broker or bridge under
 *       load). A node then looks dead after k + 1 = 3 losses in a row: p = 1e-6 per heartbeat.</li>
 * </ul>
 * Usage: FalsePositives [nodes] [k|all] [seed]
 */
public final class FalsePositives {
  record Event(long atMs, int node, int kind) {}

  private FalsePositives() {}

  public static void main(String[] args) {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    System.out.println("| loss model | k | T | heartbeats | lost heartbeats | false Lost | expected (math) | broker restart suppressed |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (String model : new String[] {"packet", "message"}) {
      for (int k : new int[] {2, 3}) {
        if (args.length > 1 && !args[1].equals("all") && Integer.parseInt(args[1]) != k) continue;
        run(nodes, k, model, seed);
      }
    }
  }

  static void run(int nodes, int k, String model, long seed) {
    Random r = new Random(seed);
    long h = 10_000;
    var settings = new FailureDetector.Settings(Duration.ofMillis(h), k, Duration.ofSeconds(2), 0.2, 10);
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    FailureDetector d = new FailureDetector(settings, t0);
    d.brokerConnection(true, t0);
    long hour = 3_600_000;
    long restartAt = 1_800_000;
    long restartFor = 20_000;
    // kind 0: a heartbeat is sent; 1: it arrives; 2: detector tick
    PriorityQueue<Event> q = new PriorityQueue<>((a, b) -> Long.compare(a.atMs, b.atMs));
    for (int i = 0; i < nodes; i++) q.add(new Event(r.nextLong(h), i, 0));
    for (long t = 1000; t <= hour; t += 1000) q.add(new Event(t, -1, 2));
    long beats = 0;
    long lost = 0;
    int falseLost = 0;
    boolean brokerUp = true;
    boolean suppressed = false;
    long[] lastSent = new long[nodes];
    while (!q.isEmpty()) {
      Event e = q.poll();
      if (e.atMs > hour) break;
      Instant now = t0.plusMillis(e.atMs);
      boolean down = e.atMs >= restartAt && e.atMs < restartAt + restartFor;
      if (down && brokerUp) {
        brokerUp = false;
        d.brokerConnection(false, now);
      } else if (!down && !brokerUp) {
        brokerUp = true;
        d.brokerConnection(true, now);
      }
      switch (e.kind) {
        case 0 -> {
          beats++;
          lastSent[e.node] = e.atMs;
          long next = e.atMs + h;
          if (down) {
            // the probe is disconnected: it reconnects 1 to 10 s after the broker is back, then beats at once
            long back = restartAt + restartFor + 1000 + r.nextLong(9000);
            q.add(new Event(back, e.node, 0));
            lost++;
            continue;
          }
          q.add(new Event(next, e.node, 0));
          long delay = 5 + (long) Math.abs(r.nextGaussian() * 150); // ordinary network and broker delay
          if (model.equals("packet")) {
            long rto = 1000;
            while (r.nextDouble() < 0.01) {
              delay += rto;
              rto *= 2;
            }
          } else if (r.nextDouble() < 0.01) {
            lost++;
            continue;
          }
          q.add(new Event(e.atMs + delay, e.node, 1));
        }
        case 1 -> {
          if (!brokerUp) continue; // the operator's own connection is down: the message never reaches it
          for (var t : d.onHeartbeat("n" + e.node, "boot", h, now)) if (t.to() == FailureDetector.State.LOST) falseLost++;
        }
        default -> {
          for (var t : d.tick(now)) if (t.to() == FailureDetector.State.LOST) falseLost++;
          if (down && d.degraded()) suppressed = true;
        }
      }
    }
    double perBeat = model.equals("message") ? Math.pow(0.01, k + 1) : 0;
    System.out.printf("| %s | %d | %.0f s | %,d | %,d | %d | %.2f | %s |%n", model, k,
        settings.tolerance(Duration.ofMillis(h)).toMillis() / 1000.0, beats, lost, falseLost, perBeat * beats,
        suppressed ? "yes (ingest degraded, 0 Lost)" : "no");
  }
}
