package io.edgewave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgewave.protocol.HeartbeatCodec.Reason;
import io.edgewave.protocol.HeartbeatCodec.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming decoder against the tree decoder it replaced ({@link TreeHeartbeatCodec}): for every payload of a
 * seeded corpus (valid heartbeats, byte mutations of them, objects built field by field from the schema with values
 * of every JSON type and edge numbers, duplicate keys, deep nesting, long strings, broken UTF-8, trailing bytes,
 * random bytes), both give the same heartbeat or reject it for the same reason. The corpus must reach every reason
 * and plenty of accepted heartbeats, or the comparison proves little.
 */
class HeartbeatCodecDifferentialTest {
  static final long SEED = 20261203;
  static final int PER_KIND = 60_000;
  static final String NODE = "tc-diff-001";

  /** What a decoder made of one payload: the heartbeat, or the reason it was dropped. */
  record Outcome(Heartbeat heartbeat, Reason reason) {}

  static Outcome tree(String node, byte[] payload) {
    try {
      return new Outcome(TreeHeartbeatCodec.decode(node, payload), null);
    } catch (Rejected e) {
      return new Outcome(null, e.reason());
    }
  }

  static Outcome streaming(String node, byte[] payload) {
    try {
      return new Outcome(HeartbeatCodec.decode(node, payload), null);
    } catch (Rejected e) {
      return new Outcome(null, e.reason());
    }
  }

  @Test
  void streamingDecoderAgreesWithTheTreeDecoderOnEveryPayload() {
    Random r = new Random(SEED);
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
    int compared = 0;
    for (int kind = 0; kind < 7; kind++) {
      for (int i = 0; i < PER_KIND; i++) {
        byte[] payload = switch (kind) {
          case 0 -> HeartbeatCodec.encode(randomHeartbeat(r));
          case 1 -> mutate(r, HeartbeatCodec.encode(randomHeartbeat(r)));
          case 2, 3 -> utf8(schemaObject(r, kind == 3));
          case 4 -> utf8(schemaObject(r, true) + trailing(r));
          case 5 -> odd(r);
          default -> mutate(r, utf8(schemaObject(r, false)));
        };
        String topicNode = r.nextInt(20) == 0 ? "tc-diff-002" : NODE;
        Outcome expected = tree(topicNode, payload);
        Outcome actual = streaming(topicNode, payload);
        if (!expected.equals(actual)) {
          fail("kind " + kind + " #" + i + ": tree " + expected + ", streaming " + actual + " for "
              + new String(payload, StandardCharsets.UTF_8));
        }
        compared++;
        outcomes.merge(expected.reason() == null ? "accepted" : expected.reason().name(), 1, Integer::sum);
        if (expected.reason() != null) reasons.merge(expected.reason(), 1, Integer::sum);
      }
    }
    System.out.println("differential: " + compared + " payloads, outcomes " + outcomes);
    assertTrue(outcomes.getOrDefault("accepted", 0) > PER_KIND, "accepted " + outcomes);
    for (Reason reason : Reason.values()) {
      if (reason == Reason.BAD_TOPIC) continue; // the topic parser's, never the codec's
      assertTrue(reasons.getOrDefault(reason, 0) >= 100, reason + " too rare to compare: " + outcomes);
    }
  }

  @Test
  void knownDisagreementsOfSimplerDecodersAreCovered() {
    // each of these would slip past a decoder that judged fields as it met them or skipped what it ignores
    String ok = "\"v\":1,\"node\":\"" + NODE + "\",\"seq\":1,\"sentMs\":1,\"intervalMs\":10000";
    String[] cases = {
        "{" + ok + ",\"x\":\"" + "a".repeat(5000) + "\"}", // too long a string in an unknown field: malformed
        "{\"v\":\"1\"," + ok.substring(6) + ",\"x\":[}", // ill-typed field, then a syntax error: malformed wins
        "{\"node\":1,\"v\":2}", // unsupported version before ill-typed node, whatever the order in the payload
        "{\"v\":4294967297," + ok.substring(6) + "}", // v is narrowed to an int, as before
        "{" + ok + ",\"future\":{\"a\":1,\"a\":2}}", // a duplicate key anywhere
        "{" + ok + "} trailing garbage", // what follows the object is not read
        "{" + ok + ",\"load1\":1e400}", // not finite
        "{" + ok + ",\"memTotalB\":9223372036854775808}", // one past a long
        "{" + ok + ",\"x\":" + "1".repeat(41) + "}", // a number too long in an unknown field
        "{" + ok + ",\"checks\":[{\"name\":\"a\",\"ok\":null}]}",
        "{" + ok + ",\"revisions\":{\"a\":null}}",
        "{" + ok + ",\"x\":\"\\ud800\"}", // a lone surrogate escape is fine JSON text
    };
    for (String c : cases) assertEquals(tree(NODE, utf8(c)), streaming(NODE, utf8(c)), c);
    byte[] brokenUtf8 = utf8("{" + ok + ",\"x\":\"ab\"}");
    brokenUtf8[brokenUtf8.length - 4] = (byte) 0xC3; // a lead byte followed by an ASCII byte
    assertEquals(tree(NODE, brokenUtf8), streaming(NODE, brokenUtf8));
    assertEquals(Reason.MALFORMED_JSON, streaming(NODE, brokenUtf8).reason());
  }

  // --- the corpus ---

  static final String[] TOP = {"v", "node", "seq", "boot", "sentMs", "intervalMs", "uptimeS", "load1", "memTotalB",
      "memAvailB", "diskFreeB", "gpus", "checks", "revisions"};
  static final String[] GPU = {"index", "name", "driver", "util", "memUsedMiB", "memTotalMiB", "tempC"};
  static final String[] CHECK = {"name", "ok", "ms", "detail"};
  static final String[] SCALARS = {"null", "true", "false", "\"\"", "\"x\"", "\"1\"", "0", "-0", "1", "-1", "2",
      "99", "100", "10000", "3600000", "3600001", "1.0", "-0.0", "0.5", "1e3", "1E-3", "1e400", "-1e400",
      "2147483648", "4294967297", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
      "-9223372036854775809", "123456789012345678901234567890", "1" + "0".repeat(39), "1" + "0".repeat(40),
      "0." + "1".repeat(38), "0." + "1".repeat(40), "\"" + "long".repeat(80) + "\"", "\"" + "z".repeat(4096) + "\"",
      "\"" + "z".repeat(4097) + "\"", "\"\\u00e9\\n\\t\\\"\"", "\"h\u00e9\u4e2d\ud83d\ude00\"", "\"\\ud800\"",
      "[]", "{}", "[1]", "[{}]", "{\"a\":1}", "\"tc-diff-001\"", "\"tc-diff-002\""};

  static String schemaObject(Random r, boolean wild) {
    StringBuilder b = new StringBuilder("{");
    List<String> keys = new ArrayList<>();
    for (String k : TOP) if (r.nextInt(wild ? 3 : 8) != 0) keys.add(k);
    if (r.nextInt(4) == 0) keys.add("future" + r.nextInt(3));
    if (r.nextInt(wild ? 20 : 200) == 0 && !keys.isEmpty()) keys.add(keys.get(r.nextInt(keys.size()))); // duplicate
    java.util.Collections.shuffle(keys, r);
    String sep = "";
    for (String k : keys) {
      b.append(sep).append('"').append(k).append("\":").append(topValue(r, k, wild));
      sep = r.nextInt(50) == 0 ? " ,\n " : ",";
    }
    return b.append('}').toString();
  }

  static String topValue(Random r, String key, boolean wild) {
    if (wild && r.nextInt(3) == 0) return r.nextInt(8) == 0 ? anyValue(r, 0) : scalar(r);
    return switch (key) {
      case "v" -> r.nextInt(10) == 0 ? "2" : "1";
      case "node" -> r.nextInt(20) == 0 ? "\"tc-diff-002\"" : "\"" + NODE + "\"";
      case "seq", "sentMs" -> String.valueOf(r.nextInt(1_000_000));
      case "intervalMs" -> r.nextInt(10) == 0 ? "50" : "10000";
      case "boot" -> "\"boot-" + r.nextInt(5) + "\"";
      case "uptimeS", "load1" -> String.valueOf(r.nextDouble() * 1000);
      case "memTotalB", "memAvailB", "diskFreeB" -> String.valueOf(r.nextLong() >>> 1);
      case "gpus" -> array(r, GPU, wild);
      case "checks" -> array(r, CHECK, wild);
      case "revisions" -> revisions(r, wild);
      default -> anyValue(r, 0);
    };
  }

  static String array(Random r, String[] fields, boolean wild) {
    int n = r.nextInt(wild && r.nextInt(10) == 0 ? 40 : 4);
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      if (i > 0) b.append(',');
      if (wild && r.nextInt(15) == 0) {
        b.append(scalar(r));
        continue;
      }
      b.append('{');
      String sep = "";
      for (String f : fields) {
        if (r.nextInt(4) == 0) continue;
        b.append(sep).append('"').append(f).append("\":");
        sep = ",";
        if (wild && r.nextInt(6) == 0) b.append(scalar(r));
        else b.append(switch (f) {
          case "index", "ms", "memUsedMiB", "memTotalMiB" -> String.valueOf(r.nextInt(100_000));
          case "util", "tempC" -> String.valueOf(r.nextInt(1000) / 10.0);
          case "ok" -> String.valueOf(r.nextBoolean());
          default -> "\"" + "n".repeat(1 + r.nextInt(r.nextInt(10) == 0 ? 300 : 10)) + "\"";
        });
      }
      if (r.nextInt(10) == 0) b.append(sep).append("\"extra\":").append(anyValue(r, 2));
      b.append('}');
    }
    return b.append(']').toString();
  }

  static String revisions(Random r, boolean wild) {
    int n = r.nextInt(wild && r.nextInt(10) == 0 ? 40 : 4);
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      if (i > 0) b.append(',');
      // long keys that agree in their first 256 characters collide once truncated: the later one wins in both
      String key = r.nextInt(20) == 0 ? "k".repeat(256) + i : "release-" + i;
      b.append('"').append(key).append("\":");
      b.append(wild && r.nextInt(8) == 0 ? scalar(r) : "\"" + Integer.toHexString(r.nextInt()) + "\"");
    }
    return b.append('}').toString();
  }

  static String scalar(Random r) { return SCALARS[r.nextInt(SCALARS.length)]; }

  /** Any JSON value, nested up to past the depth limit now and then. */
  static String anyValue(Random r, int depth) {
    int pick = r.nextInt(depth > 9 ? 1 : 4);
    if (pick == 0) return scalar(r);
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(3);
    if (pick == 1) {
      b.append('[');
      for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append(anyValue(r, depth + 1));
      return b.append(']').toString();
    }
    b.append('{');
    for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append("\"k").append(r.nextInt(3)).append("\":")
        .append(anyValue(r, depth + 1));
    return b.append('}').toString();
  }

  static String trailing(Random r) {
    String[] t = {"", " ", "\n", "}", "]", ",", "{", "x", " {\"v\":2}", "\u0000", "\"", "garbage", "1"};
    return t[r.nextInt(t.length)];
  }

  static byte[] odd(Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> randomBytes(r, r.nextInt(300));
      case 1 -> randomBytes(r, HeartbeatCodec.MAX_BYTES - 2 + r.nextInt(5));
      case 2 -> utf8("[".repeat(1 + r.nextInt(20)) + "]".repeat(r.nextInt(20)));
      case 3 -> utf8("{\"a\":".repeat(1 + r.nextInt(12)) + "1" + "}".repeat(r.nextInt(13)));
      case 4 -> utf8(" ".repeat(r.nextInt(3)) + scalar(r) + " ".repeat(r.nextInt(3)));
      case 5 -> {
        byte[] b = utf8(schemaObject(r, false));
        // a byte that is not UTF-8 somewhere, often inside a string
        b[r.nextInt(b.length)] = (byte) (0x80 + r.nextInt(128));
        yield b;
      }
      case 6 -> utf8("\ufeff" + schemaObject(r, false)); // a byte order mark
      case 7 -> {
        String body = schemaObject(r, false);
        int pad = HeartbeatCodec.MAX_BYTES - body.length() - 9 + r.nextInt(4);
        yield utf8(pad > 0 ? body.substring(0, body.length() - 1) + ",\"p\":\"" + "p".repeat(pad) + "\"}" : body);
      }
      case 8 -> {
        String s = schemaObject(r, false);
        yield utf8(s.substring(0, r.nextInt(s.length() + 1)));
      }
      default -> utf8(schemaObject(r, false).replace("\"seq\"", "\"seq\\u0000\"").replace(":", r.nextBoolean() ? " : " : ":"));
    };
  }

  static Heartbeat randomHeartbeat(Random r) {
    List<Heartbeat.Gpu> gpus = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      gpus.add(new Heartbeat.Gpu(r.nextInt(8), maybe(r, text(r)), maybe(r, text(r)), maybe(r, r.nextDouble() * 100),
          maybe(r, (long) r.nextInt(80_000)), maybe(r, r.nextLong()), maybe(r, r.nextGaussian() * 40)));
    }
    List<Heartbeat.Check> checks = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) checks.add(new Heartbeat.Check(text(r), r.nextBoolean(), r.nextInt(5000), maybe(r, text(r))));
    Map<String, String> revisions = new LinkedHashMap<>();
    // at most one: Map.copyOf iterates in an order that changes from JVM to JVM, and the corpus must replay exactly
    // (objects built field by field below cover many revisions)
    if (r.nextBoolean()) revisions.put("rel-" + text(r), text(r));
    long interval = r.nextInt(15) == 0 ? r.nextInt(200) : 1000 * (1 + r.nextInt(60));
    return new Heartbeat(r.nextInt(30) == 0 ? 2 : 1, r.nextInt(30) == 0 ? "tc-diff-002" : NODE,
        r.nextInt(30) == 0 ? -r.nextInt(5) : r.nextLong() >>> 1, maybe(r, text(r)), r.nextLong(), interval,
        maybe(r, r.nextDouble() * 1e6), maybe(r, r.nextInt(10) == 0 ? -0.0 : r.nextDouble() * 8),
        maybe(r, r.nextLong() >>> 1), maybe(r, r.nextLong() >>> 1), maybe(r, r.nextLong()), gpus, checks, revisions);
  }

  static <T> T maybe(Random r, T value) { return r.nextInt(4) == 0 ? null : value; }

  static String text(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> "";
      case 1 -> "x".repeat(250 + r.nextInt(20)); // about the 256-character cut
      case 2 -> "t\u00e9l\u00e9-\u4e2d\ud83d\ude00\"\\\n\u0001";
      default -> "name-" + r.nextInt(1000);
    };
  }

  static final String STRUCTURE = "{}[]\",:0-9eE.\\ntf";

  static byte[] mutate(Random r, byte[] base) {
    byte[] b = base.clone();
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits && b.length > 0; i++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(4)) {
        case 0 -> b[at] = (byte) r.nextInt(256);
        case 1 -> b[at] = (byte) STRUCTURE.charAt(r.nextInt(STRUCTURE.length()));
        case 2 -> {
          byte[] shorter = new byte[b.length - 1];
          System.arraycopy(b, 0, shorter, 0, at);
          System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
          b = shorter;
        }
        default -> b = java.util.Arrays.copyOf(b, at);
      }
    }
    return b;
  }

  static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
