package io.edgewave.operator.mqtt;

import io.edgewave.protocol.Backoff;
import io.edgewave.protocol.BufferedSocketFactory;
import io.edgewave.protocol.MqttSession;
import io.edgewave.protocol.Topics;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's clean-session subscription to every node's heartbeat and status. It owns the Paho client and
 * reconnects with jittered {@link Backoff} (Paho's own reconnect is off: after a broker restart, many operators and
 * probes would otherwise come back in step). Paho's callback thread only hands messages to the {@link Inbox} and
 * connection loss to {@code executor}: calling the client from its callback deadlocks. Connecting, retrying, closing
 * and the {@link Listener} all run on {@code executor}, the caller's single thread, so they are ordered with whatever
 * else that thread does.
 */
public final class HeartbeatConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatConnection.class);
  /** The QoS each topic is published with (docs/protocol.md). */
  private static final String[] FILTERS = {Topics.HEARTBEAT_FILTER, Topics.STATUS_FILTER};
  private static final int[] QOS = {0, 1};
  static final int MAX_INFLIGHT = 1000;

  /** Connection events, on the executor. */
  public interface Listener {
    /** Subscribed: messages flow from now on. */
    void connected();

    /** The connection dropped; a reconnect is already scheduled. */
    void lost();
  }

  private final MqttSession session;
  private final Backoff backoff;
  private final ScheduledExecutorService executor;
  private final Inbox inbox;
  private final Listener listener;
  private MqttClient client;
  private volatile boolean connected;
  private volatile boolean closing;
  private volatile int attempt;

  public HeartbeatConnection(MqttSession session, Backoff backoff, ScheduledExecutorService executor, Inbox inbox,
      Listener listener) {
    this.session = session;
    this.backoff = backoff;
    this.executor = executor;
    this.inbox = inbox;
    this.listener = listener;
  }

  /** Connects on the executor, and keeps reconnecting until {@link #close}. */
  public HeartbeatConnection start() {
    executor.execute(this::connect);
    return this;
  }

  public boolean connected() { return connected; }

  /** Failed attempts since the last successful connect; 0 while connected. */
  public int attempt() { return attempt; }

  private void connect() {
    if (closing) return;
    try {
      if (client == null) {
        client = session.client();
        client.setCallback(new MqttCallback() {
          @Override public void connectionLost(Throwable cause) { executor.execute(() -> lost(cause)); }

          @Override public void messageArrived(String topic, MqttMessage message) {
            inbox.add(topic, message.getPayload());
          }

          @Override public void deliveryComplete(IMqttDeliveryToken token) { }
        });
      }
      MqttConnectOptions o = session.options();
      o.setMaxInflight(MAX_INFLIGHT);
      // Paho reads each packet's header a byte at a time: through a buffer, not a system call per byte
      if (o.getSocketFactory() == null && session.broker().startsWith("tcp://")) {
        o.setSocketFactory(BufferedSocketFactory.INSTANCE);
      }
      client.connect(o);
      client.subscribe(FILTERS, QOS);
      connected = true;
      attempt = 0;
      listener.connected();
      log.info("subscribed to heartbeats on {}", session.broker());
    } catch (MqttException | RuntimeException e) {
      retry("cannot subscribe on " + session.broker() + ": " + e.getMessage());
    }
  }

  private void lost(Throwable cause) {
    connected = false;
    listener.lost();
    retry("heartbeat connection to " + session.broker() + " lost: " + (cause == null ? "closed" : cause.getMessage()));
  }

  private void retry(String why) {
    if (closing) return;
    long delay = backoff.delay(attempt++, ThreadLocalRandom.current()).toMillis();
    if (attempt == 1) log.warn("{}; no node is declared lost until it is back", why);
    executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /** Disconnects on the executor and waits up to 5 s for it; the executor is the caller's to shut down. */
  @Override
  public void close() {
    closing = true;
    try {
      executor.submit(() -> {
        try {
          if (client != null && client.isConnected()) client.disconnect(1000);
          if (client != null) client.close();
        } catch (MqttException e) {
          log.debug("closing: {}", e.getMessage());
        }
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("close did not finish: {}", e.toString());
    }
    connected = false;
  }
}
