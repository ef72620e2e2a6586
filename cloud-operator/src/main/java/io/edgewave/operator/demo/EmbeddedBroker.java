package io.edgewave.operator.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Properties;

/** Moquette on loopback, in memory, telemetry off: the demo's MQTT broker (production uses Mosquitto). */
public final class EmbeddedBroker implements AutoCloseable {
  private final Server server = new Server();
  private final int port;

  public EmbeddedBroker() {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Properties p = new Properties();
    p.setProperty("host", "127.0.0.1");
    p.setProperty("port", String.valueOf(port));
    p.setProperty("allow_anonymous", "true");
    p.setProperty("persistence_enabled", "false");
    p.setProperty("telemetry_enabled", "false");
    try {
      server.startServer(new MemoryConfig(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() { return "tcp://127.0.0.1:" + port; }

  @Override
  public void close() {
    server.stopServer();
  }
}
