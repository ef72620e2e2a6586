package io.edgewave.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes heartbeats (docs/protocol.md). Decoding never throws anything but {@link Rejected}, whose
 * reason is one of a fixed set (a bounded metric label). Unknown fields are ignored; newer minor additions
 * therefore never break an older operator.
 *
 * <p>The decoder reads the payload token by token: no JSON tree, so a handful of objects per heartbeat instead of a
 * node and a map entry per field (the operator decodes every heartbeat of the fleet on one thread). It still reads
 * the whole object before it judges
 * any field, and judges them in a fixed order, so the reason is the one a tree-then-check decoder would give: a
 * syntax error anywhere is MALFORMED_JSON even after an ill-typed field, and of several broken fields the first rule
 * broken names the reason (v, then node, then seq, sentMs, intervalMs, then everything optional as BAD_FIELD).
 * Every string and number is materialized, also in unknown fields, so the parser's limits hold everywhere.
 */
public final class HeartbeatCodec {
  public static final int MAX_BYTES = 8 * 1024;
  private static final int MAX_ITEMS = 32;
  private static final int MAX_TEXT = 256;
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(40)
          .maxStringLength(4096).build())
      .build();
  /** For encoding only: a heartbeat is encoded once per interval per probe, decoding is what the operator does. */
  private static final ObjectMapper TREE = JsonMapper.builder(JSON).build();

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
    ObjectNode o = TREE.createObjectNode();
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
      return TREE.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes a payload received on the heartbeat topic of {@code topicNode}. */
  public static Heartbeat decode(String topicNode, byte[] payload) throws Rejected {
    if (payload == null || payload.length == 0) throw new Rejected(Reason.MALFORMED_JSON, "empty payload");
    if (payload.length > MAX_BYTES) throw new Rejected(Reason.OVERSIZED, payload.length + " bytes > " + MAX_BYTES);
    Fields f = new Fields();
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new Rejected(Reason.MALFORMED_JSON, "not a JSON object");
      f.read(p);
    } catch (IOException | RuntimeException e) {
      throw new Rejected(Reason.MALFORMED_JSON, firstLine(e.getMessage()));
    }
    return f.heartbeat(topicNode);
  }

  /** What one payload holds, read in one pass and judged afterwards ({@link #heartbeat}). */
  private static final class Fields {
    // required fields: whether each was absent (or null), present and well typed, or ill-typed
    static final byte ABSENT = 0;
    static final byte OK = 1;
    static final byte BAD = 2;
    byte v;
    byte nodeState;
    byte seq;
    byte sent;
    byte interval;
    long vValue;
    long seqValue;
    long sentValue;
    long intervalValue;
    String node;
    /** The first optional field found ill-typed or too big: all of those are BAD_FIELD. */
    String badField;
    String boot;
    Double uptime;
    Double load1;
    Long memTotal;
    Long memAvail;
    Long diskFree;
    List<Heartbeat.Gpu> gpus = List.of();
    List<Heartbeat.Check> checks = List.of();
    Map<String, String> revisions = Map.of();
    // the optional field being read, returned by the readers below; state tells absent, OK or BAD
    byte state;
    long longValue;
    double doubleValue;
    String text;

    /** Reads the root object; its START_OBJECT is the current token. */
    void read(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "v" -> { v = integral(p, t); vValue = longValue; }
          case "node" -> { nodeState = text(p, t); node = text; }
          case "seq" -> { seq = integral(p, t); seqValue = longValue; }
          case "sentMs" -> { sent = integral(p, t); sentValue = longValue; }
          case "intervalMs" -> { interval = integral(p, t); intervalValue = longValue; }
          case "boot" -> boot = optText(p, t, name);
          case "uptimeS" -> uptime = optDouble(p, t, name);
          case "load1" -> load1 = optDouble(p, t, name);
          case "memTotalB" -> memTotal = optLong(p, t, name, null);
          case "memAvailB" -> memAvail = optLong(p, t, name, null);
          case "diskFreeB" -> diskFree = optLong(p, t, name, null);
          case "gpus" -> gpus(p, t);
          case "checks" -> checks(p, t);
          case "revisions" -> revisions(p, t);
          default -> skip(p, t);
        }
      }
      // the parser allows nothing but a field name or the end here; what follows the object is not read
    }

    Heartbeat heartbeat(String topicNode) throws Rejected {
      int version = (int) require(v, vValue, "v");
      if (version != Heartbeat.VERSION) throw new Rejected(Reason.UNSUPPORTED_VERSION, "v=" + version);
      if (nodeState == ABSENT) throw new Rejected(Reason.MISSING_FIELD, "node");
      if (nodeState == BAD) throw new Rejected(Reason.BAD_FIELD, "node");
      if (!node.equals(topicNode)) throw new Rejected(Reason.NODE_MISMATCH, "payload node differs from topic node");
      long s = require(seq, seqValue, "seq");
      if (s < 0) throw new Rejected(Reason.BAD_FIELD, "seq < 0");
      long sentMs = require(sent, sentValue, "sentMs");
      long intervalMs = require(interval, intervalValue, "intervalMs");
      if (intervalMs < 100 || intervalMs > 3_600_000) throw new Rejected(Reason.BAD_FIELD, "intervalMs out of range");
      if (badField != null) throw new Rejected(Reason.BAD_FIELD, badField);
      return new Heartbeat(version, node, s, boot, sentMs, intervalMs, uptime, load1, memTotal, memAvail, diskFree,
          gpus, checks, revisions);
    }

    private static long require(byte state, long value, String field) throws Rejected {
      if (state == ABSENT) throw new Rejected(Reason.MISSING_FIELD, field);
      if (state == BAD) throw new Rejected(Reason.BAD_FIELD, field);
      return value;
    }

    private void bad(String field) {
      if (badField == null) badField = field;
    }

    /** An integer that fits a long; anything else (a fraction, an exponent, a string) is BAD. */
    private byte integral(JsonParser p, JsonToken t) throws IOException {
      if (t == JsonToken.VALUE_NULL) return ABSENT;
      if (t == JsonToken.VALUE_NUMBER_INT) {
        if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          longValue = p.getLongValue();
          return OK;
        }
        BigInteger big = p.getBigIntegerValue();
        if (big.bitLength() <= 63) {
          longValue = big.longValue();
          return OK;
        }
        return BAD;
      }
      skip(p, t);
      return BAD;
    }

    private byte text(JsonParser p, JsonToken t) throws IOException {
      text = null;
      if (t == JsonToken.VALUE_NULL) return ABSENT;
      if (t == JsonToken.VALUE_STRING) {
        text = p.getText();
        return OK;
      }
      skip(p, t);
      return BAD;
    }

    private String optText(JsonParser p, JsonToken t, String field) throws IOException {
      byte s = text(p, t);
      if (s == BAD) bad(field);
      return s == OK ? truncate(text) : null;
    }

    private Long optLong(JsonParser p, JsonToken t, String field, Long dflt) throws IOException {
      byte s = integral(p, t);
      if (s == BAD) bad(field);
      return s == OK ? Long.valueOf(longValue) : dflt;
    }

    /** Any finite number. */
    private Double optDouble(JsonParser p, JsonToken t, String field) throws IOException {
      if (t == JsonToken.VALUE_NULL) return null;
      double d;
      if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        d = p.getDoubleValue();
      } else if (t == JsonToken.VALUE_NUMBER_INT) {
        d = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue().doubleValue()
            : (double) p.getLongValue();
      } else {
        skip(p, t);
        bad(field);
        return null;
      }
      if (!Double.isFinite(d)) {
        bad(field);
        return null;
      }
      return d;
    }

    private void gpus(JsonParser p, JsonToken t) throws IOException {
      if (t == JsonToken.VALUE_NULL) return;
      if (t != JsonToken.START_ARRAY) {
        skip(p, t);
        bad("gpus");
        return;
      }
      List<Heartbeat.Gpu> out = new ArrayList<>(2);
      int n = 0;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (++n > MAX_ITEMS || t != JsonToken.START_OBJECT || badField != null) {
          if (n > MAX_ITEMS || t != JsonToken.START_OBJECT) bad("gpus");
          skip(p, t);
          continue;
        }
        Long index = 0L;
        String name = null;
        String driver = null;
        Double util = null;
        Long memUsed = null;
        Long memTotal = null;
        Double temp = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken v = p.nextToken();
          switch (f) {
            case "index" -> index = optLong(p, v, "gpus", 0L);
            case "name" -> name = optText(p, v, "gpus");
            case "driver" -> driver = optText(p, v, "gpus");
            case "util" -> util = optDouble(p, v, "gpus");
            case "memUsedMiB" -> memUsed = optLong(p, v, "gpus", null);
            case "memTotalMiB" -> memTotal = optLong(p, v, "gpus", null);
            case "tempC" -> temp = optDouble(p, v, "gpus");
            default -> skip(p, v);
          }
        }
        out.add(new Heartbeat.Gpu(index.intValue(), name, driver, util, memUsed, memTotal, temp));
      }
      if (n > 0) gpus = out;
    }

    private void checks(JsonParser p, JsonToken t) throws IOException {
      if (t == JsonToken.VALUE_NULL) return;
      if (t != JsonToken.START_ARRAY) {
        skip(p, t);
        bad("checks");
        return;
      }
      List<Heartbeat.Check> out = new ArrayList<>(2);
      int n = 0;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (++n > MAX_ITEMS || t != JsonToken.START_OBJECT || badField != null) {
          if (n > MAX_ITEMS || t != JsonToken.START_OBJECT) bad("checks");
          skip(p, t);
          continue;
        }
        String name = null;
        byte ok = ABSENT;
        boolean okValue = false;
        Long ms = 0L;
        String detail = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken v = p.nextToken();
          switch (f) {
            case "name" -> name = optText(p, v, "checks");
            case "ok" -> {
              if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                ok = OK;
                okValue = v == JsonToken.VALUE_TRUE;
              } else {
                ok = BAD;
                skip(p, v);
              }
            }
            case "ms" -> ms = optLong(p, v, "checks", 0L);
            case "detail" -> detail = optText(p, v, "checks");
            default -> skip(p, v);
          }
        }
        if (name == null || ok != OK) bad("check needs name and ok");
        out.add(new Heartbeat.Check(name, okValue, ms, detail));
      }
      if (n > 0) checks = out;
    }

    private void revisions(JsonParser p, JsonToken t) throws IOException {
      if (t == JsonToken.VALUE_NULL) return;
      if (t != JsonToken.START_OBJECT) {
        skip(p, t);
        bad("revisions");
        return;
      }
      Map<String, String> out = new HashMap<>();
      int n = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (++n > MAX_ITEMS || v != JsonToken.VALUE_STRING) {
          bad("revisions");
          skip(p, v);
          continue;
        }
        out.put(truncate(key), truncate(p.getText()));
      }
      if (n > 0) revisions = out;
    }

    /**
     * Reads past the value that {@code t} starts, materializing every scalar as a tree would (the parser checks
     * string lengths and number forms when a value is taken, not when it is passed over).
     */
    private static void skip(JsonParser p, JsonToken t) throws IOException {
      int depth = 0;
      while (true) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case VALUE_STRING -> p.getText();
          case VALUE_NUMBER_INT -> {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) p.getBigIntegerValue();
            else p.getLongValue();
          }
          case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
          default -> { }
        }
        if (depth == 0) return;
        t = p.nextToken();
      }
    }
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
