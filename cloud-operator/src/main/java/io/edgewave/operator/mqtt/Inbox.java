package io.edgewave.operator.mqtt;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Paho's callback thread leaves messages: {@link #add} stamps the arrival time (detection latency is measured
 * from it, not from when the loop gets round to the message), queues, and wakes the consumer's executor at most once
 * per burst. The handler then sees every message in arrival order, one at a time, on that executor. Nothing here
 * calls the MQTT client: doing that from its callback thread deadlocks.
 */
public final class Inbox {
  private static final Logger log = LoggerFactory.getLogger(Inbox.class);

  /** One message as it arrived: {@code receivedNanos} on the monotonic clock, {@code receivedAt} on the wall clock. */
  public record Message(String topic, byte[] payload, long receivedNanos, Instant receivedAt) {}

  /** Handles one message, on the inbox's executor. */
  public interface Handler {
    void handle(Message m);
  }

  private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Executor executor;
  private final LongSupplier nanoTime;
  private final Clock clock;
  private final Handler handler;

  public Inbox(Executor executor, LongSupplier nanoTime, Clock clock, Handler handler) {
    this.executor = executor;
    this.nanoTime = nanoTime;
    this.clock = clock;
    this.handler = handler;
  }

  /** From any thread (Paho's callback); never blocks and never runs the handler itself. */
  public void add(String topic, byte[] payload) {
    queue.add(new Message(topic, payload, nanoTime.getAsLong(), clock.instant()));
    // one hand-over per burst, not per message: at tens of thousands of messages a second, waking the loop thread
    // for each one costs more than handling it
    if (draining.compareAndSet(false, true)) executor.execute(this::drain);
  }

  /** Messages waiting; for tests and a bound check. */
  public int size() { return queue.size(); }

  private void drain() {
    while (true) {
      Message m;
      while ((m = queue.poll()) != null) {
        try {
          handler.handle(m);
        } catch (RuntimeException e) {
          // the handler counts its own failures; this only keeps one bad message from stopping the drain
          log.warn("inbox handler failed on {}", m.topic(), e);
        }
      }
      draining.set(false);
      // a message that arrived after the last poll but before the flag was cleared found it set: take it now
      if (queue.isEmpty() || !draining.compareAndSet(false, true)) return;
    }
  }
}
