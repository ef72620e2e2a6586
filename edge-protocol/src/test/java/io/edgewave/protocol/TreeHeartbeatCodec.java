package io.edgewave.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import io.edgewave.protocol.HeartbeatCodec.Reason;
import io.edgewave.protocol.HeartbeatCodec.Rejected;

/**
 * The codec as it was before the streaming decoder: a Jackson tree, then checks. Kept, unchanged but for its name, as
 * the reference {@link HeartbeatCodecDifferentialTest} holds {@link HeartbeatCodec} to: same heartbeat or same reason
 * for every input.
 */
final class TreeHeartbeatCodec {
  static final int MAX_BYTES = 8 * 1024;
  private static final int MAX_ITEMS = 32;
  private static final int MAX_TEXT = 256;
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
        .maxNumberLength(40).maxStringLength(4096).build());
  }

  private TreeHeartbeatCodec() {}

  /** Decodes a payload received on the heartbeat topic of {@code topicNode}. */
  static Heartbeat decode(String topicNode, byte[] payload) throws Rejected {
    if (payload == null || payload.length == 0) throw new Rejected(Reason.MALFORMED_JSON, "empty payload");
    if (payload.length > MAX_BYTES) throw new Rejected(Reason.OVERSIZED, payload.length + " bytes > " + MAX_BYTES);
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (IOException | RuntimeException e) {
      throw new Rejected(Reason.MALFORMED_JSON, firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) throw new Rejected(Reason.MALFORMED_JSON, "not a JSON object");
    int version = (int) requireLong(root, "v");
    if (version != Heartbeat.VERSION) throw new Rejected(Reason.UNSUPPORTED_VERSION, "v=" + version);
    String node = requireText(root, "node");
    if (!node.equals(topicNode)) throw new Rejected(Reason.NODE_MISMATCH, "payload node differs from topic node");
    long seq = requireLong(root, "seq");
    if (seq < 0) throw new Rejected(Reason.BAD_FIELD, "seq < 0");
    long sent = requireLong(root, "sentMs");
    long interval = requireLong(root, "intervalMs");
    if (interval < 100 || interval > 3_600_000) throw new Rejected(Reason.BAD_FIELD, "intervalMs out of range");
    List<Heartbeat.Gpu> gpus = new ArrayList<>();
    for (JsonNode g : items(root, "gpus")) {
      gpus.add(new Heartbeat.Gpu(optLong(g, "index", 0L).intValue(), optText(g, "name"), optText(g, "driver"),
          optDouble(g, "util"), optLong(g, "memUsedMiB", null), optLong(g, "memTotalMiB", null), optDouble(g, "tempC")));
    }
    List<Heartbeat.Check> checks = new ArrayList<>();
    for (JsonNode c : items(root, "checks")) {
      String name = optText(c, "name");
      JsonNode ok = c.get("ok");
      if (name == null || ok == null || !ok.isBoolean()) throw new Rejected(Reason.BAD_FIELD, "check needs name and ok");
      checks.add(new Heartbeat.Check(name, ok.booleanValue(), optLong(c, "ms", 0L), optText(c, "detail")));
    }
    Map<String, String> revisions = new HashMap<>();
    JsonNode r = root.get("revisions");
    if (r != null && !r.isNull()) {
      if (!r.isObject() || r.size() > MAX_ITEMS) throw new Rejected(Reason.BAD_FIELD, "revisions");
      for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getValue().isTextual()) throw new Rejected(Reason.BAD_FIELD, "revisions");
        revisions.put(truncate(e.getKey()), truncate(e.getValue().textValue()));
      }
    }
    return new Heartbeat(version, node, seq, optText(root, "boot"), sent, interval, optDouble(root, "uptimeS"),
        optDouble(root, "load1"), optLong(root, "memTotalB", null), optLong(root, "memAvailB", null),
        optLong(root, "diskFreeB", null), gpus, checks, revisions);
  }

  private static List<JsonNode> items(JsonNode root, String field) throws Rejected {
    JsonNode a = root.get(field);
    if (a == null || a.isNull()) return List.of();
    if (!a.isArray() || a.size() > MAX_ITEMS) throw new Rejected(Reason.BAD_FIELD, field);
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : a) {
      if (!n.isObject()) throw new Rejected(Reason.BAD_FIELD, field);
      out.add(n);
    }
    return out;
  }

  private static long requireLong(JsonNode o, String f) throws Rejected {
    JsonNode n = o.get(f);
    if (n == null || n.isNull()) throw new Rejected(Reason.MISSING_FIELD, f);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) throw new Rejected(Reason.BAD_FIELD, f);
    return n.longValue();
  }

  private static String requireText(JsonNode o, String f) throws Rejected {
    JsonNode n = o.get(f);
    if (n == null || n.isNull()) throw new Rejected(Reason.MISSING_FIELD, f);
    if (!n.isTextual()) throw new Rejected(Reason.BAD_FIELD, f);
    return n.textValue();
  }

  private static String optText(JsonNode o, String f) throws Rejected {
    JsonNode n = o.get(f);
    if (n == null || n.isNull()) return null;
    if (!n.isTextual()) throw new Rejected(Reason.BAD_FIELD, f);
    return truncate(n.textValue());
  }

  private static Long optLong(JsonNode o, String f, Long dflt) throws Rejected {
    JsonNode n = o.get(f);
    if (n == null || n.isNull()) return dflt;
    if (!n.isIntegralNumber() || !n.canConvertToLong()) throw new Rejected(Reason.BAD_FIELD, f);
    return n.longValue();
  }

  private static Double optDouble(JsonNode o, String f) throws Rejected {
    JsonNode n = o.get(f);
    if (n == null || n.isNull()) return null;
    if (!n.isNumber() || !Double.isFinite(n.doubleValue())) throw new Rejected(Reason.BAD_FIELD, f);
    return n.doubleValue();
  }

  private static String truncate(String s) {
    return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
  }

  private static String firstLine(String s) {
    if (s == null) return "unparseable";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
