package io.edgewave.probe.check;

import io.edgewave.probe.config.ProbeConfig;
import io.edgewave.protocol.Heartbeat;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local check whose result rides on every heartbeat: a TCP port (a camera's RTSP port), an HTTP URL or a
 * command. A check never throws; failure is a result with a short reason.
 */
public final class LocalCheck {
  public enum Type { TCP, HTTP, COMMAND }

  /** "name=tcp:host:port", "name=http:URL" or "name=cmd:program args"; the name defaults to the type. */
  public record Spec(String name, Type type, String target, Duration timeout) {
    public static Spec parse(String text) {
      String t = text.strip();
      String name = null;
      int eq = t.indexOf('=');
      int colon = t.indexOf(':');
      if (eq > 0 && (colon < 0 || eq < colon)) {
        name = t.substring(0, eq);
        t = t.substring(eq + 1);
      }
      Type type;
      String target;
      if (t.startsWith("tcp:")) {
        type = Type.TCP;
        target = t.substring(4);
        if (!target.matches("[^\\s:]+:[0-9]{1,5}")) throw new ProbeConfig.Invalid("--check " + text + ": write tcp:host:port");
      } else if (t.startsWith("http:") || t.startsWith("https:")) {
        type = Type.HTTP;
        target = t.startsWith("http:") && !t.startsWith("http://") ? t.substring(5) : t;
        if (!target.startsWith("http://") && !target.startsWith("https://")) {
          throw new ProbeConfig.Invalid("--check " + text + ": write http:http://host:port/path");
        }
      } else if (t.startsWith("cmd:")) {
        type = Type.COMMAND;
        target = t.substring(4).strip();
        if (target.isEmpty()) throw new ProbeConfig.Invalid("--check " + text + ": write cmd:program args");
      } else {
        throw new ProbeConfig.Invalid("--check \"" + text + "\": start with tcp:, http: or cmd:, e.g. camera=tcp:192.0.2.10:554");
      }
      if (name == null) name = type.name().toLowerCase();
      if (!name.matches("[A-Za-z0-9_.-]{1,63}")) throw new ProbeConfig.Invalid("--check " + text + ": bad name " + name);
      return new Spec(name, type, target, Duration.ofSeconds(3));
    }
  }

  private LocalCheck() {}

  public static Heartbeat.Check run(Spec spec) {
    long start = System.nanoTime();
    String failure;
    try {
      failure = switch (spec.type()) {
        case TCP -> tcp(spec);
        case HTTP -> http(spec);
        case COMMAND -> command(spec);
      };
    } catch (IOException | RuntimeException e) {
      failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    return new Heartbeat.Check(spec.name(), failure == null, ms, failure);
  }

  private static String tcp(Spec s) throws IOException {
    int colon = s.target().lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(s.target().substring(0, colon), Integer.parseInt(s.target().substring(colon + 1))),
          (int) s.timeout().toMillis());
    }
    return null;
  }

  private static String http(Spec s) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(s.target()).toURL().openConnection();
    c.setConnectTimeout((int) s.timeout().toMillis());
    c.setReadTimeout((int) s.timeout().toMillis());
    c.setInstanceFollowRedirects(false);
    try {
      int code = c.getResponseCode();
      return code >= 200 && code < 400 ? null : "HTTP " + code;
    } finally {
      c.disconnect();
    }
  }

  private static String command(Spec s) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of("/bin/sh", "-c", s.target())).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(s.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      return "timed out after " + s.timeout().toSeconds() + "s";
    }
    return p.exitValue() == 0 ? null : "exit " + p.exitValue();
  }
}
