package io.edgewave.operator.ingest;

import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.fleet.FleetSink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.protocol.Heartbeat;
import io.edgewave.protocol.HeartbeatCodec;
import io.edgewave.protocol.StatusMessage;
import io.edgewave.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A million random and mutated messages through the subscriber's real ingest path (topic parsing, the codec, the
 * status parser, the detector, facts and metrics), after 100 nodes said hello. Nothing may throw, no structure the
 * subscriber keeps (per node, per reason, queued, metric series) may grow with the garbage, and no node may change
 * state because of it. Seeded: a failure replays exactly. Retention is measured as entries, not as heap after
 * System.gc(): a hint the JVM may ignore, and a number other threads of the same JVM move.
 */
class HeartbeatFuzzTest {
  static final int NODES = 100;
  static final int MESSAGES = 1_000_000;
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  static String node(int i) { return String.format("tc-fuzz-%03d", i); }

  static byte[] valid(String node, long seq) {
    return HeartbeatCodec.encode(new Heartbeat(Heartbeat.VERSION, node, seq, "boot-1", T0.toEpochMilli(), 10_000, 100.0,
        0.5, 8L << 30, 4L << 30, 50L << 30, List.of(new Heartbeat.Gpu(0, "NVIDIA T4", "535.104.05", 40.0, 1024L, 15360L, 55.0)),
        List.of(new Heartbeat.Check("camera", true, 3, null)), Map.of("scan-upload", "3cb6d91fde")));
  }

  record Message(String topic, byte[] payload) {}

  static Message garbage(Random r) {
    String known = node(r.nextInt(NODES));
    byte[] base = valid(known, 1000 + r.nextInt(1000));
    return switch (r.nextInt(9)) {
      case 0 -> new Message(Topics.heartbeat(known), randomBytes(r, r.nextInt(10) == 0 ? 9000 + r.nextInt(5000) : r.nextInt(300)));
      case 1 -> new Message(Topics.heartbeat(known), mutate(r, base));
      case 2 -> new Message(Topics.heartbeat(known), wrongTypes(r, base));
      case 3 -> new Message(Topics.heartbeat(known), java.util.Arrays.copyOf(base, r.nextInt(base.length)));
      case 4 -> new Message(randomTopic(r), base);
      case 5 -> new Message(Topics.heartbeat(node((known.hashCode() & 0xff) % NODES == 0 ? 1 : 0)), valid(node(2), 5));
      case 6 -> new Message(Topics.status(known), r.nextBoolean() ? randomBytes(r, r.nextInt(200))
          : mutate(r, StatusMessage.SHUTDOWN.bytes()));
      case 7 -> new Message(Topics.heartbeat(known), ("[".repeat(2000 + r.nextInt(3000))).getBytes(StandardCharsets.UTF_8));
      default -> new Message(Topics.heartbeat(known), ("{\"v\":1,\"node\":\"" + known + "\",\"seq\":" + r.nextLong()
          + ",\"sentMs\":" + r.nextLong() + ",\"intervalMs\":" + r.nextLong() + ",\"gpus\":" + "[{}]".repeat(r.nextInt(3))
          + "}").getBytes(StandardCharsets.UTF_8));
    };
  }

  static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  static byte[] mutate(Random r, byte[] base) {
    byte[] b = base.clone();
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits && b.length > 0; i++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(3)) {
        case 0 -> b[at] = (byte) r.nextInt(256);
        case 1 -> b[at] = (byte) "{}[]\",:0-9eE.\\".charAt(r.nextInt(14));
        default -> {
          byte[] shorter = new byte[b.length - 1];
          System.arraycopy(b, 0, shorter, 0, at);
          System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
          b = shorter;
        }
      }
    }
    // an edit that wrote back the same byte left a valid message: garbage must differ from it
    if (java.util.Arrays.equals(b, base)) b = java.util.Arrays.copyOf(b, b.length + 1);
    return b;
  }

  static byte[] wrongTypes(Random r, byte[] base) {
    String s = new String(base, StandardCharsets.UTF_8);
    String[] fields = {"\"v\":1", "\"seq\":", "\"sentMs\":", "\"intervalMs\":10000", "\"gpus\":[", "\"checks\":["};
    String[] values = {"\"v\":\"1\"", "\"seq\":-5,\"x\":", "\"sentMs\":1e400,\"y\":", "\"intervalMs\":1", "\"gpus\":{},\"z\":[",
        "\"checks\":[{\"name\":1}],\"w\":["};
    int i = r.nextInt(fields.length);
    return s.replaceFirst(java.util.regex.Pattern.quote(fields[i]), java.util.regex.Matcher.quoteReplacement(values[i]))
        .getBytes(StandardCharsets.UTF_8);
  }

  static String randomTopic(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> "edgewave/v1/nodes/+/heartbeat";
      case 1 -> "edgewave/v1/nodes/" + "x".repeat(300) + "/heartbeat";
      case 2 -> "edgewave/v1/nodes/Tc_Upper/heartbeat";
      case 3 -> "edgewave/v2/nodes/tc-fuzz-001/heartbeat";
      case 4 -> "edgewave/v1/nodes/tc-fuzz-001/heartbeat/extra";
      default -> new String(randomBytes(r, r.nextInt(60)), StandardCharsets.UTF_8);
    };
  }

  @Test
  void aMillionBadMessagesChangeNoNodeThrowNothingAndHoldNoMemory() throws Exception {
    List<FailureDetector.Transition> transitions = new ArrayList<>();
    var sink = new FleetSink() {
      @Override public void transitions(List<FailureDetector.Transition> t) { transitions.addAll(t); }
    };
    EdgewaveMetrics metrics = new EdgewaveMetrics();
    FleetFacts facts = new FleetFacts();
    HeartbeatSubscriber sub = new HeartbeatSubscriber(HeartbeatSubscriber.Settings.of("tcp://127.0.0.1:1"),
        Clock.fixed(T0, java.time.ZoneOffset.UTC), sink, metrics, facts);
    for (int i = 0; i < NODES; i++) sub.handle(Topics.heartbeat(node(i)), valid(node(i), 1), T0);
    assertEquals(NODES, sub.received());
    int entriesBefore = sub.footprint();
    int seriesBefore = series(metrics);
    Random r = new Random(20261125);
    for (int i = 0; i < MESSAGES; i++) {
      Message m = garbage(r);
      // all within one heartbeat interval: silence can change nothing, only what the messages say
      sub.handle(m.topic(), m.payload(), T0.plusMillis(i % 9_000));
    }
    assertEquals(List.of(), transitions.subList(0, Math.min(5, transitions.size())), "no node changed state");
    assertEquals(NODES, (int) sub.inspect(FailureDetector::size), "garbage created no node");
    boolean allOnline = sub.inspect(d -> java.util.stream.IntStream.range(0, NODES)
        .allMatch(i -> d.state(node(i)) == FailureDetector.State.ONLINE));
    assertTrue(allOnline, "every node still online");
    long rejected = 0;
    for (HeartbeatCodec.Reason reason : HeartbeatCodec.Reason.values()) rejected += sub.rejected(reason);
    long accepted = sub.received() - NODES;
    // every message was either dropped and counted, or a still-valid heartbeat or status of a node it names
    assertTrue(rejected > MESSAGES * 0.6, "rejected " + rejected);
    assertTrue(rejected + accepted <= MESSAGES, rejected + " + " + accepted);
    assertEquals(0, sub.internalErrors(), "no message made our code throw");
    assertEquals(entriesBefore, sub.footprint(), "entries kept after a million messages");
    assertEquals(seriesBefore, series(metrics), "metric series after a million messages");
    assertEquals(NODES, facts.view().size());
  }

  /** Every labelled series the metrics hold: a label taken from a message would grow it. */
  static int series(EdgewaveMetrics metrics) {
    int n = 0;
    for (var snapshot : metrics.registry().scrape()) n += snapshot.getDataPoints().size();
    return n;
  }
}
