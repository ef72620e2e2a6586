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
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The probe's settings, immutable. Read in order of precedence from flags (--broker tcp://h:1883), the environment
 * (EDGEWAVE_BROKER) and a properties file (--config /etc/edgewave/probe.properties, keys as the flags: broker=...).
 * The flags are declared once, in {@link Flags}: picocli parses them and prints --help from them.
 */
public record ProbeConfig(
    String broker, String node, Duration interval, String clientId, String username, String password,
    String caFile, Duration keepAlive, Duration connectTimeout, Duration backoffMin, Duration backoffMax,
    List<LocalCheck.Spec> checks, String nvidiaSmi, Path revisionsFile, Path diskPath) {

  /** The flags, by name without dashes: also the keys of the --config file and, upper-cased, of EDGEWAVE_ variables. */
  static final Set<String> KEYS = commandLine().getCommandSpec().options().stream()
      .filter(o -> !o.usageHelp() && !o.versionHelp()).map(o -> o.longestName().substring(2))
      .collect(Collectors.toUnmodifiableSet());

  /** A setting that is missing or malformed; the message names it and the fix. */
  public static final class Invalid extends RuntimeException {
    public Invalid(String message) { super(message); }
  }

  /**
   * The probe's flags as picocli reads them: names, help and the repeatable --check. Values stay text here: the
   * environment and the --config file fill what no flag gives, and {@link #parse} checks them all alike, naming the
   * flag and the fix.
   */
  @Command(name = "edgewave-probe", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
      versionProvider = Flags.Version.class,
      customSynopsis = "java -Xmx32m -jar edgewave-probe.jar --node NAME [flags]",
      description = {"Heartbeats from an edge node or GPU box to the operator over MQTT.",
          "Each flag may also be given as the environment variable EDGEWAVE_<FLAG> (EDGEWAVE_BROKER, "
              + "EDGEWAVE_KEEP_ALIVE; --check as a ;-separated list) or as a key of the --config file (broker=...); "
              + "a flag wins over the environment, which wins over the file."},
      exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:stopped (SIGTERM)", "2:a missing or bad setting"})
  public static final class Flags {
    @Option(names = "--node", paramLabel = "NAME",
        description = "the Kubernetes node name (required; also NODE_NAME, the DaemonSet's downward API)")
    String node;
    @Option(names = "--broker", paramLabel = "URL",
        description = "tcp://host:1883 or ssl://host:8883 (default tcp://127.0.0.1:1883)")
    String broker;
    @Option(names = "--interval", paramLabel = "D", description = "heartbeat interval, 1s to 10m (default 10s)")
    String interval;
    @Option(names = "--keep-alive", paramLabel = "D", description = "MQTT keep-alive, at most 3 x --interval "
        + "(default 2 x --interval)")
    String keepAlive;
    @Option(names = "--connect-timeout", paramLabel = "D", description = "MQTT connect timeout (default 10s)")
    String connectTimeout;
    @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id (default edgewave-probe-NODE)")
    String clientId;
    @Option(names = "--username", paramLabel = "U", description = "broker user")
    String username;
    @Option(names = "--password", paramLabel = "P", description = "broker password (prefer --password-file)")
    String password;
    @Option(names = "--password-file", paramLabel = "FILE", description = "file holding the broker password")
    String passwordFile;
    @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM CA that signed the broker's certificate")
    String caFile;
    @Option(names = "--check", paramLabel = "CHECK", description = {"a local check, repeatable: "
        + "camera=tcp:192.0.2.10:554, api=http:http://127.0.0.1:8080/healthz, cmd:'systemctl is-active x'"})
    List<String> check;
    @Option(names = "--nvidia-smi", paramLabel = "PATH", description = "nvidia-smi to read GPU facts with "
        + "(default nvidia-smi)")
    String nvidiaSmi;
    @Option(names = "--revisions-file", paramLabel = "FILE", description = "file the workload writes its running "
        + "revisions to")
    String revisionsFile;
    @Option(names = "--disk-path", paramLabel = "DIR", description = "file system whose free space is reported "
        + "(default /)")
    String diskPath;
    @Option(names = "--backoff-min", paramLabel = "D", description = "first reconnect delay (default 1s)")
    String backoffMin;
    @Option(names = "--backoff-max", paramLabel = "D", description = "longest reconnect delay (default 60s)")
    String backoffMax;
    @Option(names = "--config", paramLabel = "FILE", description = "properties file with keys named as the flags")
    String config;

    static final class Version implements CommandLine.IVersionProvider {
      @Override
      public String[] getVersion() {
        String v = ProbeConfig.class.getPackage().getImplementationVersion();
        return new String[] {"edgewave-probe " + (v == null ? "(development build)" : v)};
      }
    }
  }

  /** The probe's command line: its flags, --help and --version. */
  public static CommandLine commandLine() {
    // a flag given twice: the last one wins, as it always did; an argument starting with @ is a value, not a file
    return new CommandLine(new Flags()).setOverwrittenOptionsAllowed(true).setExpandAtFiles(false);
  }

  /** The flags given, by name without dashes, in the order given; picocli's errors reworded to name the flag. */
  static Map<String, List<String>> flags(String[] args) {
    CommandLine cl = commandLine();
    CommandLine.ParseResult parsed;
    try {
      parsed = cl.parseArgs(args);
    } catch (CommandLine.UnmatchedArgumentException e) {
      String a = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
      if (!a.startsWith("-")) throw new Invalid("unexpected argument \"" + a + "\"; flags look like --node NAME");
      throw new Invalid("unknown flag " + (a.contains("=") ? a.substring(0, a.indexOf('=')) : a) + "; known: --"
          + String.join(", --", KEYS.stream().sorted().toList()));
    } catch (CommandLine.MissingParameterException e) {
      throw new Invalid(e.getMissing().get(0) instanceof OptionSpec o ? o.longestName() + " needs a value"
          : e.getMessage());
    } catch (CommandLine.ParameterException e) {
      throw new Invalid(e.getMessage());
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (OptionSpec o : parsed.matchedOptions()) {
      if (o.usageHelp() || o.versionHelp()) continue;
      values.put(o.longestName().substring(2), List.copyOf(o.stringValues()));
    }
    return values;
  }

  public static ProbeConfig parse(String[] args, Map<String, String> env) {
    Map<String, List<String>> values = flags(args);
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
