package io.edgewave.bench;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal MQTT 3.1.1 QoS 0 publisher straight on a socket: CONNECT, then PUBLISH packets through a buffered
 * stream. Paho publishes one message at a time through its own threads and tops out near 10,000 msg/s on these
 * machines, which would measure the load generator rather than the subscriber.
 */
final class RawPublisher implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;

  RawPublisher(String host, int port, String clientId) throws IOException {
    socket = new Socket(host, port);
    socket.setTcpNoDelay(false);
    out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    byte[] variable = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60}; // protocol 3.1.1, clean session, keep-alive 60 s
    int remaining = variable.length + 2 + id.length;
    out.write(0x10);
    writeLength(remaining);
    out.write(variable);
    out.write(id.length >> 8);
    out.write(id.length & 0xff);
    out.write(id);
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] connack = new byte[4];
    in.readFully(connack);
    if (connack[0] != 0x20 || connack[3] != 0) throw new IOException("broker refused the connection: " + connack[3]);
  }

  void publish(String topic, byte[] payload) throws IOException {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    out.write(0x30); // PUBLISH, QoS 0, not retained
    writeLength(2 + t.length + payload.length);
    out.write(t.length >> 8);
    out.write(t.length & 0xff);
    out.write(t);
    out.write(payload);
  }

  void flush() throws IOException { out.flush(); }

  private void writeLength(int n) throws IOException {
    do {
      int b = n % 128;
      n /= 128;
      if (n > 0) b |= 0x80;
      out.write(b);
    } while (n > 0);
  }

  @Override
  public void close() throws IOException {
    out.write(0xE0); // DISCONNECT
    out.write(0);
    out.flush();
    socket.close();
  }
}
