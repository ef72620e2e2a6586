package io.edgewave.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class BufferedSocketFactoryTest {
  @Test
  void readsByteByByteAndInBulkThroughOneBufferedStream() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         Socket client = BufferedSocketFactory.INSTANCE.createSocket()) {
      // as Paho does: an unconnected socket, connected with a timeout, read with a timeout
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
      client.setSoTimeout(5000);
      byte[] body = new byte[100_000];
      for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 31);
      try (Socket peer = server.accept()) {
        OutputStream out = peer.getOutputStream();
        out.write(new byte[] {0x30, 7});
        out.write(body);
        out.flush();
        DataInputStream in = new DataInputStream(client.getInputStream());
        assertSame(client.getInputStream(), client.getInputStream(), "one stream, or buffered bytes would be lost");
        assertEquals(0x30, in.readByte());
        assertEquals(7, in.readByte());
        byte[] got = new byte[body.length];
        in.readFully(got);
        assertArrayEquals(body, got);
      }
    }
  }
}
