package io.edgewave.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes heartbeats (docs/protocol.md). Decoding never throws anything but {@link Rejected}, whose
 * reason is one of a fixed set (a bounded metric label). Unknown fields are ignored; newer minor additions
 * therefore never break an older operator.
 */
public final class HeartbeatCodec {
  public static final int MAX_BYTES = 8 * 1024;
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

  /** Why a payload was dropped; each name is a metric label value. */
  public enum Reason { OVERSIZED, MALFORMED_JSON, UNSUPPORTED_VERSION, MISSING_FIELD, BAD_FIELD, NODE_MISMATCH, BAD_TOPIC }

  public static final class Rejected extends Exception {
    private final Reason reason;

    public Rejected(Reason reason, String detail) {
      super(reason + ": " + detail, null, false, false);
      this.reason = reason;
    }

    public Reason reason() { return reason; }
  }

  private HeartbeatCodec() {}

  public static byte[] encode(Heartbeat h) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", h.version());
    o.put("node", h.node());
    o.put("seq", h.seq());
    if (h.bootId() != null) o.put("boot", h.bootId());
    o.put("sentMs", h.sentMs());
    o.put("intervalMs", h.intervalMs());
    if (h.uptimeSeconds() != null) o.put("uptimeS", h.uptimeSeconds());
    if (h.load1() != null) o.put("load1", h.load1());
    if (h.memTotalBytes() != null) o.put("memTotalB", h.memTotalBytes());
    if (h.memAvailableBytes() != null) o.put("memAvailB", h.memAvailableBytes());
    if (h.diskFreeBytes() != null) o.put("diskFreeB", h.diskFreeBytes());
    if (!h.gpus().isEmpty()) {
      ArrayNode gpus = o.putArray("gpus");
      for (Heartbeat.Gpu g : h.gpus()) {
        ObjectNode n = gpus.addObject();
        n.put("index", g.index());
        if (g.name() != null) n.put("name", g.name());
        if (g.driver() != null) n.put("driver", g.driver());
        if (g.utilizationPercent() != null) n.put("util", g.utilizationPercent());
        if (g.memoryUsedMiB() != null) n.put("memUsedMiB", g.memoryUsedMiB());
        if (g.memoryTotalMiB() != null) n.put("memTotalMiB", g.memoryTotalMiB());
        if (g.temperatureC() != null) n.put("tempC", g.temperatureC());
      }
    }
    if (!h.checks().isEmpty()) {
      ArrayNode checks = o.putArray("checks");
      for (Heartbeat.Check c : h.checks()) {
        ObjectNode n = checks.addObject();
        n.put("name", c.name());
        n.put("ok", c.ok());
        n.put("ms", c.millis());
        if (c.detail() != null) n.put("detail", truncate(c.detail()));
      }
    }
    if (!h.revisions().isEmpty()) {
      ObjectNode r = o.putObject("revisions");
      h.revisions().forEach(r::put);
    }
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes a payload received on the heartbeat topic of {@code topicNode}. */
  public static Heartbeat decode(String topicNode, byte[] payload) throws Rejected {
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
