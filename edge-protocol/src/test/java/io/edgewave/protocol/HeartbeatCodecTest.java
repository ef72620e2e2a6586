package io.edgewave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgewave.protocol.HeartbeatCodec.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatCodecTest {
  static Heartbeat sample() {
    return new Heartbeat(1, "gpu-hangzhou-01-001", 42, "b0a1", 1_764_547_200_000L, 10_000, 3600.5, 0.42,
        8_000_000_000L, 5_000_000_000L, 100_000_000_000L,
        List.of(new Heartbeat.Gpu(0, "NVIDIA T4", "535.104.05", 37.0, 1024L, 15360L, 48.0)),
        List.of(new Heartbeat.Check("camera", true, 3, null)), Map.of("camera-inference", "3f2a9c1b7e"));
  }

  @Test
  void roundTripsEveryField() throws Exception {
    Heartbeat h = sample();
    assertEquals(h, HeartbeatCodec.decode(h.node(), HeartbeatCodec.encode(h)));
  }

  @Test
  void minimalHeartbeatDecodesWithAbsentFactsAsNull() throws Exception {
    Heartbeat h = HeartbeatCodec.decode("n1", bytes("{\"v\":1,\"node\":\"n1\",\"seq\":0,\"sentMs\":1,\"intervalMs\":10000}"));
    assertNull(h.load1());
    assertEquals(List.of(), h.gpus());
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    Heartbeat h = HeartbeatCodec.decode("n1", bytes(
        "{\"v\":1,\"node\":\"n1\",\"seq\":3,\"sentMs\":1,\"intervalMs\":10000,\"future\":{\"x\":[1,2]}}"));
    assertEquals(3, h.seq());
  }

  @Test
  void everyRejectHasItsReason() {
    assertRejected(Reason.NODE_MISMATCH, "n2", "{\"v\":1,\"node\":\"n1\",\"seq\":0,\"sentMs\":1,\"intervalMs\":10000}");
    assertRejected(Reason.MALFORMED_JSON, "n1", "{\"v\":1,");
    assertRejected(Reason.MALFORMED_JSON, "n1", "[1,2]");
    assertRejected(Reason.MALFORMED_JSON, "n1", "");
    assertRejected(Reason.MALFORMED_JSON, "n1", "{\"v\":1,\"v\":1,\"node\":\"n1\",\"seq\":0,\"sentMs\":1,\"intervalMs\":10000}");
    assertRejected(Reason.UNSUPPORTED_VERSION, "n1", "{\"v\":2,\"node\":\"n1\",\"seq\":0,\"sentMs\":1,\"intervalMs\":10000}");
    assertRejected(Reason.MISSING_FIELD, "n1", "{\"v\":1,\"node\":\"n1\",\"sentMs\":1,\"intervalMs\":10000}");
    assertRejected(Reason.BAD_FIELD, "n1", "{\"v\":1,\"node\":\"n1\",\"seq\":-1,\"sentMs\":1,\"intervalMs\":10000}");
    assertRejected(Reason.BAD_FIELD, "n1", "{\"v\":1,\"node\":\"n1\",\"seq\":\"1\",\"sentMs\":1,\"intervalMs\":10000}");
    assertRejected(Reason.BAD_FIELD, "n1", "{\"v\":1,\"node\":\"n1\",\"seq\":1,\"sentMs\":1,\"intervalMs\":1}");
    assertRejected(Reason.BAD_FIELD, "n1", "{\"v\":1,\"node\":\"n1\",\"seq\":1,\"sentMs\":1,\"intervalMs\":10000,\"gpus\":{}}");
    byte[] big = new byte[HeartbeatCodec.MAX_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    var e = assertThrows(HeartbeatCodec.Rejected.class, () -> HeartbeatCodec.decode("n1", big));
    assertEquals(Reason.OVERSIZED, e.reason());
  }

  @Test
  void topicsParseOnlyOurShapes() {
    assertEquals(new Topics.Parsed("tc-a-001", Topics.Kind.HEARTBEAT), Topics.parse("edgewave/v1/nodes/tc-a-001/heartbeat"));
    assertEquals(Topics.Kind.STATUS, Topics.parse(Topics.status("n1")).kind());
    assertNull(Topics.parse("edgewave/v1/nodes/n1/heartbeat/x"));
    assertNull(Topics.parse("edgewave/v1/nodes/UPPER/heartbeat"));
    assertNull(Topics.parse("edgewave/v2/nodes/n1/heartbeat"));
    assertNull(Topics.parse("edgewave/v1/nodes//heartbeat"));
  }

  @Test
  void topicParserAgreesWithThePatternAndSplitItReplaced() {
    java.util.regex.Pattern node = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    java.util.Random r = new java.util.Random(7);
    String alphabet = "abz09-./A_\u00e9";
    String[] tails = {"heartbeat", "status", "heartbeat/", "heartbeatx", "status/x", "", "Status", "heartbea"};
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(10) == 0 ? 250 + r.nextInt(8) : r.nextInt(12);
      for (int j = 0; j < n; j++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      String name = b.toString();
      String topic = (r.nextInt(20) == 0 ? "edgewave/v1/node/" : Topics.PREFIX) + name + "/" + tails[r.nextInt(tails.length)];
      assertEquals(node.matcher(name).matches(), Topics.validNode(name), name);
      assertEquals(patternParse(node, topic), Topics.parse(topic), topic);
    }
  }

  /** Topics.parse as it was, with substrings and the pattern. */
  static Topics.Parsed patternParse(java.util.regex.Pattern node, String topic) {
    if (topic == null || !topic.startsWith(Topics.PREFIX)) return null;
    String rest = topic.substring(Topics.PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) return null;
    String name = rest.substring(0, slash);
    if (!node.matcher(name).matches()) return null;
    return switch (rest.substring(slash + 1)) {
      case "heartbeat" -> new Topics.Parsed(name, Topics.Kind.HEARTBEAT);
      case "status" -> new Topics.Parsed(name, Topics.Kind.STATUS);
      default -> null;
    };
  }

  @Test
  void statusMessagesTellAGoodbyeFromAWill() {
    assertEquals(StatusMessage.WILL, StatusMessage.parse(StatusMessage.WILL.bytes()));
    assertEquals(StatusMessage.SHUTDOWN, StatusMessage.parse(bytes("offline")));
    assertEquals(StatusMessage.ONLINE, StatusMessage.parse(bytes("{\"v\": 1, \"state\": \"online\"}")));
    assertNull(StatusMessage.parse(bytes("maybe")));
  }

  static void assertRejected(Reason reason, String topicNode, String json) {
    var e = assertThrows(HeartbeatCodec.Rejected.class, () -> HeartbeatCodec.decode(topicNode, bytes(json)), json);
    assertEquals(reason, e.reason(), json);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
