package io.edgewave.operator.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.edgewave.protocol.Backoff;
import io.edgewave.protocol.DaemonThreads;
import io.edgewave.protocol.MqttSession;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeartbeatConnectionTest {
  static String refusedUrl() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "tcp://127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void keepsRetryingAnAbsentBrokerUntilClosedAndThenStops() throws Exception {
    var executor = new ScheduledThreadPoolExecutor(1, new DaemonThreads("connection-test"));
    try {
      AtomicInteger connected = new AtomicInteger();
      String url = refusedUrl();
      var connection = new HeartbeatConnection(new MqttSession(url, "connection-test", null, null, null,
          Duration.ofSeconds(10), Duration.ofSeconds(1), null), new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)),
          executor, new Inbox(executor, System::nanoTime, Clock.systemUTC(), m -> { }),
          new HeartbeatConnection.Listener() {
            @Override public void connected() { connected.incrementAndGet(); }

            @Override public void lost() { }
          }).start();
      await().atMost(Duration.ofSeconds(20)).until(() -> connection.attempt() >= 3);
      assertFalse(connection.connected());
      connection.close();
      int after = connection.attempt();
      // a retry is at most 20 ms away: once a task 100 ms away has run, every retry scheduled before close has run
      // too, and found the connection closed
      executor.schedule(() -> { }, 100, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
      assertEquals(0, executor.getQueue().size(), "no retry scheduled after close");
      assertEquals(after, connection.attempt(), "no attempt after close");
      assertEquals(0, connected.get());
    } finally {
      executor.shutdownNow();
    }
  }
}
