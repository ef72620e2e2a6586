package io.edgewave.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** A real Mosquitto on a free loopback port, anonymous, as the benchmarks use it. */
final class Mosquitto implements AutoCloseable {
  final int port;
  final Path dir;
  private Process process;

  Mosquitto(String extra) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    dir = Files.createTempDirectory("bench-mosquitto");
    Files.writeString(dir.resolve("mosquitto.conf"), """
        user root
        listener %d 127.0.0.1
        allow_anonymous true
        persistence false
        log_dest file %s
        %s
        """.formatted(port, dir.resolve("mosquitto.log"), extra));
  }

  String url() { return "tcp://127.0.0.1:" + port; }

  long pid() { return process.pid(); }

  Mosquitto start() throws Exception {
    String bin = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
    process = new ProcessBuilder(bin, "-c", dir.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return this;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("stdout.log")));
  }

  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor();
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  /** CPU seconds a process has used (utime + stime from /proc), for processes outside this JVM. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
