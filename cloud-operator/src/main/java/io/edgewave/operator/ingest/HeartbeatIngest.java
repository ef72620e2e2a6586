package io.edgewave.operator.ingest;

import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.protocol.Heartbeat;
import io.edgewave.protocol.HeartbeatCodec;
import io.edgewave.protocol.StatusMessage;
import io.edgewave.protocol.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a raw message (topic, payload, arrival time) into a heartbeat or a status, or drops it and counts why. Bad
 * input is counted by its {@link HeartbeatCodec.Reason}; a RuntimeException, from the codec or from our own code, is
 * a bug and not the sender's fault, so it is counted apart as an internal error ({@link #failed}) and logged with its
 * stack trace. Counts are logged at most once per 10 s, never a line per message. Calls come from one thread; the
 * counts may be read from any.
 */
public final class HeartbeatIngest {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatIngest.class);
  static final Duration LOG_EVERY = Duration.ofSeconds(10);

  /** What a message said. */
  public sealed interface Decoded permits Beat, Status {}

  public record Beat(Heartbeat heartbeat) implements Decoded {}

  public record Status(String node, StatusMessage status) implements Decoded {}

  /** The heartbeat decoder; {@link HeartbeatCodec#decode} but for tests that need a broken one. */
  @FunctionalInterface
  interface Codec {
    Heartbeat decode(String node, byte[] payload) throws HeartbeatCodec.Rejected;
  }

  private final Codec codec;
  private final EdgewaveMetrics metrics;
  private final LongAdder received = new LongAdder();
  private final Map<HeartbeatCodec.Reason, LongAdder> rejected = new EnumMap<>(HeartbeatCodec.Reason.class);
  private final LongAdder internalErrors = new LongAdder();
  private final Map<HeartbeatCodec.Reason, Long> rejectedLogged = new EnumMap<>(HeartbeatCodec.Reason.class);
  private Instant lastRejectLog = Instant.MIN;
  private Instant lastErrorLog = Instant.MIN;
  private long errorsLogged;

  public HeartbeatIngest(EdgewaveMetrics metrics) {
    this(HeartbeatCodec::decode, metrics);
  }

  HeartbeatIngest(Codec codec, EdgewaveMetrics metrics) {
    this.codec = codec;
    this.metrics = metrics;
    for (HeartbeatCodec.Reason r : HeartbeatCodec.Reason.values()) rejected.put(r, new LongAdder());
  }

  /** The heartbeat or status the message carries, or null when it was dropped (and counted). */
  public Decoded decode(String topic, byte[] payload, Instant receivedAt) {
    try {
      Topics.Parsed t = Topics.parse(topic);
      if (t == null) return reject(HeartbeatCodec.Reason.BAD_TOPIC, topic);
      if (t.kind() == Topics.Kind.HEARTBEAT) {
        Heartbeat h;
        try {
          h = codec.decode(t.node(), payload);
        } catch (HeartbeatCodec.Rejected e) {
          return reject(e.reason(), e.getMessage());
        }
        received.increment();
        metrics.heartbeatReceived();
        return new Beat(h);
      }
      StatusMessage s = StatusMessage.parse(payload);
      if (s == null) return reject(HeartbeatCodec.Reason.MALFORMED_JSON, "status of " + t.node());
      return new Status(t.node(), s);
    } catch (RuntimeException e) {
      failed(topic, e, receivedAt);
      return null;
    }
  }

  /**
   * A message that made our code throw, here or after decoding: counted as an internal error, and logged with the
   * stack trace at WARN, the first one at once and then at most one every 10 s with the count of those not shown.
   */
  public void failed(String topic, RuntimeException e, Instant at) {
    internalErrors.increment();
    metrics.heartbeatInternalError();
    if (Duration.between(lastErrorLog, at).compareTo(LOG_EVERY) < 0) return;
    long unshown = internalErrors.sum() - 1 - errorsLogged;
    lastErrorLog = at;
    errorsLogged = internalErrors.sum();
    log.warn("bug in heartbeat ingest: a message on {} was dropped ({} more since the last one logged)",
        abbreviate(topic), unshown, e);
  }

  private Decoded reject(HeartbeatCodec.Reason reason, String detail) {
    rejected.get(reason).increment();
    metrics.heartbeatRejected(reason);
    log.debug("dropped message: {} ({})", reason, detail);
    return null;
  }

  /** Logs, at most once per 10 s, how many messages were dropped per reason since the last time. */
  public void logRejects(Instant now) {
    if (Duration.between(lastRejectLog, now).compareTo(LOG_EVERY) < 0) return;
    lastRejectLog = now;
    for (var e : rejected.entrySet()) {
      long total = e.getValue().sum();
      long before = rejectedLogged.getOrDefault(e.getKey(), 0L);
      if (total > before) log.warn("dropped {} messages as {} in the last {}s", total - before, e.getKey(), LOG_EVERY.toSeconds());
      rejectedLogged.put(e.getKey(), total);
    }
  }

  /** Heartbeats decoded and accepted. */
  public long received() { return received.sum(); }

  public long rejected(HeartbeatCodec.Reason reason) { return rejected.get(reason).sum(); }

  /** Messages dropped because our code threw on them. */
  public long internalErrors() { return internalErrors.sum(); }

  /** Entries this keeps; bounded by the reasons, whatever arrives. */
  int footprint() { return rejected.size() + rejectedLogged.size(); }

  private static String abbreviate(String topic) {
    if (topic == null) return "null";
    return topic.length() <= 120 ? topic : topic.substring(0, 120) + "...";
  }
}
