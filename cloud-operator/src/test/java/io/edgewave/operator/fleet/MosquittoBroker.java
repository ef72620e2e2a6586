package io.edgewave.operator.fleet;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A real Mosquitto on a free loopback port, started and stopped by the test. */
public final class MosquittoBroker implements AutoCloseable {
  static final Path BINARY = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? Path.of("/usr/sbin/mosquitto") : Path.of("mosquitto");
  final int port;
  private final Path dir;
  private Process process;

  public MosquittoBroker() throws IOException {
    this(Map.of());
  }

  /** @param users user to password; when given, anonymous clients are refused */
  MosquittoBroker(Map<String, String> users) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    dir = Files.createTempDirectory("mosquitto");
    String auth = "allow_anonymous true\n";
    if (!users.isEmpty()) {
      Path passwd = dir.resolve("passwd");
      Files.writeString(passwd, "");
      for (var u : users.entrySet()) {
        try {
          Process p = new ProcessBuilder("mosquitto_passwd", "-b", passwd.toString(), u.getKey(), u.getValue())
              .redirectErrorStream(true).start();
          if (p.waitFor() != 0) throw new IOException("mosquitto_passwd: " + new String(p.getInputStream().readAllBytes()));
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      auth = "allow_anonymous false\npassword_file " + passwd + "\n";
    }
    // Started as root (CI is), mosquitto would switch to the user "mosquitto", which cannot read this private temp
    // folder; "user root" keeps it as it was started, and is ignored when not started as root.
    Files.writeString(dir.resolve("mosquitto.conf"), """
        user root
        listener %d 127.0.0.1
        %spersistence false
        log_dest file %s
        """.formatted(port, auth, dir.resolve("mosquitto.log")));
  }

  public String url() { return "tcp://127.0.0.1:" + port; }

  /** Listens on {@code ip} too (a test site's link to this host), on the same port; before {@link #start}. */
  public MosquittoBroker alsoListeningOn(String ip) throws IOException {
    Path conf = dir.resolve("mosquitto.conf");
    String c = Files.readString(conf);
    Files.writeString(conf, c.replace("listener " + port + " 127.0.0.1\n",
        "listener " + port + " 127.0.0.1\nlistener " + port + " " + ip + "\n"));
    return this;
  }

  /** The broker's URL as a client at {@code ip} sees it. */
  public String url(String ip) { return "tcp://" + ip + ":" + port; }

  public MosquittoBroker start() throws Exception {
    process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return this;
      } catch (IOException e) {
        if (!process.isAlive()) throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log")));
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("mosquitto did not listen on " + port);
  }

  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor();
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
