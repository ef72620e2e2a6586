package io.edgewave.probe.config;

import io.edgewave.probe.check.LocalCheck;
import io.edgewave.protocol.Durations;
import io.edgewave.protocol.MqttSession;
import io.edgewave.protocol.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The probe's settings, immutable. Read in order of precedence from flags (--broker tcp://h:1883), the environment
 * (EDGEWAVE_BROKER) and a properties file (--config /etc/edgewave/probe.properties, keys as the flags: broker=...).
 */
public record ProbeConfig(
    String broker, String node, Duration interval, String clientId, String username, String password,
    String caFile, Duration keepAlive, Duration connectTimeout, Duration backoffMin, Duration backoffMax,
    List<LocalCheck.Spec> checks, String nvidiaSmi, Path revisionsFile, Path diskPath) {

  static final Set<String> KEYS = Set.of("broker", "node", "interval", "client-id", "username", "password",
      "password-file", "ca-file", "keep-alive", "connect-timeout", "backoff-min", "backoff-max", "check",
      "nvidia-smi", "revisions-file", "disk-path", "config");

  /** A setting that is missing or malformed; the message names it and the fix. */
  public static final class Invalid extends RuntimeException {
    public Invalid(String message) { super(message); }
  }

  public static ProbeConfig parse(String[] args, Map<String, String> env) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) throw new Invalid("unexpected argument \"" + a + "\"; flags look like --node NAME");
      String k = a.substring(2);
      String v;
      int eq = k.indexOf('=');
      if (eq >= 0) {
        v = k.substring(eq + 1);
        k = k.substring(0, eq);
      } else {
        if (i + 1 >= args.length) throw new Invalid("--" + k + " needs a value");
        v = args[++i];
      }
      if (!KEYS.contains(k)) throw new Invalid("unknown flag --" + k + "; known: --" + String.join(", --", KEYS.stream().sorted().toList()));
      values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    for (String k : KEYS) {
      String e = env.get("EDGEWAVE_" + k.toUpperCase().replace('-', '_'));
      if (e != null && !values.containsKey(k)) values.put(k, k.equals("check") ? List.of(e.split(";")) : List.of(e));
    }
    if (values.containsKey("config")) readFile(Path.of(last(values, "config")), values);

    String node = last(values, "node");
    if (node == null) node = env.get("NODE_NAME");
    if (node == null) throw new Invalid("--node is required (or EDGEWAVE_NODE / NODE_NAME): the Kubernetes node name");
    if (!Topics.validNode(node)) throw new Invalid("--node \"" + node + "\" is not a Kubernetes node name (lower-case DNS name)");
    String broker = orDefault(values, "broker", "tcp://127.0.0.1:1883");
    if (MqttSession.brokerProblem(broker) != null) throw new Invalid("--broker " + MqttSession.brokerProblem(broker));
    Duration interval = duration(values, "interval", "10s");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new Invalid("--interval " + last(values, "interval") + " must be from 1s to 10m");
    }
    // Keep-alive no longer than the detector's tolerance (k+1)h+J with k=2: the broker then notices a dead
    // connection (and publishes our will) before the operator would declare the node lost.
    Duration keepAlive = values.containsKey("keep-alive") ? duration(values, "keep-alive", null) : interval.multipliedBy(2);
    if (keepAlive.compareTo(interval.multipliedBy(3)) > 0) {
      throw new Invalid("--keep-alive must not exceed 3 x --interval, or the broker notices a dead probe later than the operator");
    }
    String password = last(values, "password");
    if (values.containsKey("password-file")) {
      try {
        password = Files.readString(Path.of(last(values, "password-file"))).strip();
      } catch (IOException e) {
        throw new Invalid("--password-file: cannot read " + last(values, "password-file") + ": " + e.getMessage());
      }
    }
    String caFile = last(values, "ca-file");
    if (caFile != null) {
      try {
        MqttSession.trusting(Path.of(caFile)); // a bad CA file fails now, not at every reconnect
      } catch (IllegalArgumentException e) {
        throw new Invalid("--ca-file " + e.getMessage() + "; give the PEM file of the CA that signed the broker's certificate");
      }
    }
    List<LocalCheck.Spec> checks = new ArrayList<>();
    for (String c : values.getOrDefault("check", List.of())) checks.add(LocalCheck.Spec.parse(c));
    String rev = last(values, "revisions-file");
    return new ProbeConfig(broker, node, interval, orDefault(values, "client-id", "edgewave-probe-" + node),
        last(values, "username"), password, caFile, keepAlive,
        duration(values, "connect-timeout", "10s"), duration(values, "backoff-min", "1s"),
        duration(values, "backoff-max", "60s"), List.copyOf(checks), orDefault(values, "nvidia-smi", "nvidia-smi"),
        rev == null ? null : Path.of(rev), Path.of(orDefault(values, "disk-path", "/")));
  }

  private static void readFile(Path file, Map<String, List<String>> values) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new Invalid("--config: cannot read " + file + ": " + e.getMessage());
    }
    for (String k : p.stringPropertyNames()) {
      if (!KEYS.contains(k) || k.equals("config")) throw new Invalid(file + ": unknown key " + k);
      String v = p.getProperty(k);
      if (!values.containsKey(k)) values.put(k, k.equals("check") ? List.of(v.split(";")) : List.of(v));
    }
  }

  private static String last(Map<String, List<String>> values, String k) {
    List<String> v = values.get(k);
    return v == null || v.isEmpty() ? null : v.get(v.size() - 1).strip();
  }

  private static String orDefault(Map<String, List<String>> values, String k, String d) {
    String v = last(values, k);
    return v == null ? d : v;
  }

  static Duration duration(Map<String, List<String>> values, String k, String dflt) {
    String text = orDefault(values, k, dflt);
    if (text == null) return null;
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new Invalid("--" + k + " " + e.getMessage());
    }
  }

  /** How this probe opens its MQTT session: its node's retained will, its credentials and CA. */
  public MqttSession session() {
    return new MqttSession(broker, clientId, username, password, caFile, keepAlive, connectTimeout, node);
  }
}
