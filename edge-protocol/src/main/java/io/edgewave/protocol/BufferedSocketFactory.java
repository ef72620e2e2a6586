package io.edgewave.protocol;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets whose input is read through a 64 KiB buffer. Paho reads each packet's header byte by byte from
 * the socket stream it is given, a system call per byte when that stream is the bare socket's; on a subscriber that
 * takes in tens of thousands of small messages a second those calls cost more than the messages. Only for tcp://
 * (TLS sockets buffer what they decrypt anyway); Paho connects the unconnected socket {@link #createSocket()} gives.
 */
public final class BufferedSocketFactory extends SocketFactory {
  public static final BufferedSocketFactory INSTANCE = new BufferedSocketFactory();
  static final int BUFFER = 64 * 1024;

  private BufferedSocketFactory() {}

  @Override
  public Socket createSocket() {
    return new BufferedReadSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    Socket s = new BufferedReadSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    Socket s = new BufferedReadSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }

  private static Socket connected(InetSocketAddress to) throws IOException {
    Socket s = new BufferedReadSocket();
    s.connect(to);
    return s;
  }

  private static final class BufferedReadSocket extends Socket {
    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) in = new BufferedInputStream(super.getInputStream(), BUFFER);
      return in;
    }
  }
}
