package io.edgewave.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real probe jar in its own JVM, as on an edge node (-Xmx32m). */
public final class ProbeProcess implements AutoCloseable {
  static final Path JAR = Path.of("..", "edge-probe", "target", "edgewave-probe.jar");
  public final String node;
  final Process process;
  private final Path log;

  public ProbeProcess(String broker, String node, String... extra) throws IOException {
    assertTrue(Files.exists(JAR), JAR + " is missing: build edge-probe first (mvn verify builds it before cloud-operator)");
    this.node = node;
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-jar", JAR.toString(), "--broker", broker, "--node", node, "--interval", "1s",
        "--backoff-min", "200ms", "--backoff-max", "1s", "--connect-timeout", "2s"));
    cmd.addAll(List.of(extra));
    log = Files.createTempFile("probe-" + node, ".log");
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  void stopGracefully() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  /** Sends a signal (STOP freezes the JVM with its TCP connection open; CONT thaws it). */
  public void signal(String sig) throws Exception {
    new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid())).start().waitFor();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      signal("CONT");
      kill9();
    }
  }
}
