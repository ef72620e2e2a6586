package io.edgewave.operator.config;

import io.edgewave.protocol.Durations;
import io.edgewave.protocol.MqttSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything 'edgewave run' is told, immutable: flags (--mqtt-broker ssl://h:8883) win over the environment
 * (EDGEWAVE_MQTT_BROKER, POD_NAMESPACE, POD_NAME, HOSTNAME), which wins over the defaults below. A bad value fails
 * {@link #parse} with a message that names the flag and how to write it, before anything connects anywhere.
 *
 * <p>The settings table in docs/install.md lists exactly {@link #FLAGS} and {@link #ENV} (OperatorConfigTest reads
 * it), and the run verb accepts exactly {@link #FLAGS}: a setting added here goes into both.
 *
 * @param identity          this replica's name as the Lease holder and in the MQTT client id (no flag)
 * @param mqttBroker        null when heartbeats are off
 * @param mqttPassword      read from --mqtt-password-file; null without one
 * @param heartbeatInterval the probes' interval h, assumed for a node not heard from yet
 */
public record OperatorConfig(
    boolean leaderElection, String leaseNamespace, String identity,
    Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
    int writeBudget, Duration resync,
    String mqttBroker, String mqttUsername, String mqttPassword, String mqttCaFile, Duration heartbeatInterval,
    List<WebhookSecret> alertWebhooks, Duration alertWindow, Duration alertDamping,
    int port, String siteLabel, int siteUnreachablePercent,
    List<WebhookSecret> notifyWebhooks, Duration notifyWindow) {

  /** The flags of 'edgewave run', in the order of its usage text and of the table in docs/install.md. */
  public static final Set<String> FLAGS = orderedSet("leader-election", "lease-namespace", "lease-duration",
      "renew-deadline", "retry-period", "write-budget", "resync", "mqtt-broker", "mqtt-username",
      "mqtt-password-file", "mqtt-ca-file", "heartbeat-interval", "port", "site-label", "site-unreachable-share",
      "alert-webhooks",
      "alert-window", "alert-damping", "notify-webhooks", "notify-window");

  /** The environment variables read; POD_NAMESPACE and POD_NAME come from the Deployment's downward API. */
  public static final Set<String> ENV = orderedSet("EDGEWAVE_MQTT_BROKER", "POD_NAMESPACE", "POD_NAME", "HOSTNAME");

  public static final String DEFAULT_LEASE_NAMESPACE = "edgewave-system";
  public static final String DEFAULT_IDENTITY = "edgewave-operator";
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
  public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);
  public static final int DEFAULT_WRITE_BUDGET = 200;
  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(5);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_ALERT_WINDOW = Duration.ofSeconds(20);
  public static final Duration DEFAULT_ALERT_DAMPING = Duration.ofMinutes(10);
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_SITE_LABEL = "edgewave.io/site";
  /** Percent of a site's watched nodes that must go silent within one T for the site to be unreachable. */
  public static final int DEFAULT_SITE_UNREACHABLE_PERCENT = 60;
  public static final Duration DEFAULT_NOTIFY_WINDOW = Duration.ofSeconds(5);

  public OperatorConfig {
    alertWebhooks = List.copyOf(alertWebhooks);
    notifyWebhooks = List.copyOf(notifyWebhooks);
  }

  /** The release notification destinations of releases without the annotation, as namespace/name. */
  public List<String> notifyDefaults() {
    return notifyWebhooks.stream().map(w -> w.namespace() + "/" + w.name()).toList();
  }

  /** A Secret holding an alert webhook (keys url, format, secret), written namespace/name. */
  public record WebhookSecret(String namespace, String name) {
    static WebhookSecret parse(String text) {
      return parse("alert-webhooks", text);
    }

    static WebhookSecret parse(String flag, String text) {
      String[] p = text.split("/", 2);
      if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
        throw new Invalid("--" + flag + ": webhook secret \"" + text
            + "\" must be namespace/name; write e.g. edgewave-system/edgewave-alert-webhook");
      }
      return new WebhookSecret(p[0], p[1]);
    }
  }

  /** A setting that is malformed; the message names the flag and the fix. */
  public static final class Invalid extends RuntimeException {
    public Invalid(String message) {
      super(message);
    }
  }

  public boolean mqttEnabled() {
    return mqttBroker != null;
  }

  /** The defaults, as a replica with no flags and no environment gets them. */
  public static OperatorConfig defaults() {
    return parse(Map.of(), Map.of());
  }

  /**
   * @param flags the flags given, by long name without dashes ("lease-duration" -> "15s"); absent means default
   * @param env   the environment, e.g. System.getenv()
   * @throws Invalid naming the flag and the fix
   */
  public static OperatorConfig parse(Map<String, String> flags, Map<String, String> env) {
    for (String k : flags.keySet()) {
      if (!FLAGS.contains(k)) throw new Invalid("unknown flag --" + k + "; known flags: --" + String.join(", --", FLAGS.stream().sorted().toList()));
    }
    Values v = new Values(flags);
    boolean election = v.bool("leader-election", true);
    String leaseNamespace = v.string("lease-namespace", env.getOrDefault("POD_NAMESPACE", DEFAULT_LEASE_NAMESPACE));
    if (!leaseNamespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw new Invalid("--lease-namespace \"" + leaseNamespace
          + "\" is not a namespace name; write a lower-case DNS label such as edgewave-system");
    }
    String identity = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", DEFAULT_IDENTITY));

    Duration lease = v.positive("lease-duration", DEFAULT_LEASE_DURATION);
    Duration renew = v.positive("renew-deadline", DEFAULT_RENEW_DEADLINE);
    Duration retry = v.positive("retry-period", DEFAULT_RETRY_PERIOD);
    // renew deadline < lease duration keeps two leaders from overlapping: a leader that could not renew steps
    // down before anyone else may take the Lease over
    if (renew.compareTo(lease) >= 0) {
      throw new Invalid("--renew-deadline " + Durations.format(renew) + " must be shorter than --lease-duration "
          + Durations.format(lease) + ", or two leaders can overlap; e.g. --lease-duration 15s --renew-deadline 10s");
    }
    if (retry.compareTo(renew) >= 0) {
      throw new Invalid("--retry-period " + Durations.format(retry) + " must be shorter than --renew-deadline "
          + Durations.format(renew) + ", or a leader cannot renew in time; e.g. --renew-deadline 10s --retry-period 2s");
    }

    int writeBudget = v.integer("write-budget", DEFAULT_WRITE_BUDGET, 1, 10_000);
    Duration resync = v.positive("resync", DEFAULT_RESYNC);

    String broker = v.string("mqtt-broker", env.get("EDGEWAVE_MQTT_BROKER"));
    if (broker != null && MqttSession.brokerProblem(broker) != null) {
      throw new Invalid("--mqtt-broker " + MqttSession.brokerProblem(broker));
    }
    String caFile = v.string("mqtt-ca-file", null);
    if (caFile != null && broker != null) { // without a broker the file is not used, as before
      try {
        MqttSession.trusting(Path.of(caFile));
      } catch (IllegalArgumentException e) {
        throw new Invalid("--mqtt-ca-file " + e.getMessage()
            + "; give the PEM file of the CA that signed the broker's certificate");
      }
    }
    String password = null;
    String passwordFile = v.string("mqtt-password-file", null);
    if (passwordFile != null) {
      try {
        password = Files.readString(Path.of(passwordFile)).strip();
      } catch (IOException | RuntimeException e) {
        throw new Invalid("--mqtt-password-file: cannot read " + passwordFile + ": " + e.getMessage());
      }
    }
    Duration heartbeat = v.positive("heartbeat-interval", DEFAULT_HEARTBEAT_INTERVAL);

    List<WebhookSecret> webhooks = new ArrayList<>();
    for (String w : v.string("alert-webhooks", "").split(",")) {
      if (!w.isBlank()) webhooks.add(WebhookSecret.parse(w.strip()));
    }
    // zero is allowed for both: no batching, no damping
    Duration window = v.duration("alert-window", DEFAULT_ALERT_WINDOW);
    Duration damping = v.duration("alert-damping", DEFAULT_ALERT_DAMPING);

    List<WebhookSecret> notify = new ArrayList<>();
    for (String w : v.string("notify-webhooks", "").split(",")) {
      if (!w.isBlank()) notify.add(WebhookSecret.parse("notify-webhooks", w.strip()));
    }
    Duration notifyWindow = v.duration("notify-window", DEFAULT_NOTIFY_WINDOW);

    int port = v.integer("port", DEFAULT_PORT, 0, 65535);
    String siteLabel = v.string("site-label", DEFAULT_SITE_LABEL);
    if (siteLabel.isBlank()) throw new Invalid("--site-label is empty; write a Node label key such as edgewave.io/site");

    return new OperatorConfig(election, leaseNamespace, identity, lease, renew, retry, writeBudget, resync, broker,
        v.string("mqtt-username", null), password, caFile, heartbeat, webhooks, window,
        damping, port, siteLabel,
        v.integer("site-unreachable-share", DEFAULT_SITE_UNREACHABLE_PERCENT, 1, 100), notify, notifyWindow);
  }

  /** Without the password, which would otherwise land in any log line that prints the config. */
  @Override
  public String toString() {
    return "OperatorConfig[leaderElection=" + leaderElection + ", leaseNamespace=" + leaseNamespace + ", identity="
        + identity + ", leaseDuration=" + leaseDuration + ", renewDeadline=" + renewDeadline + ", retryPeriod="
        + retryPeriod + ", writeBudget=" + writeBudget + ", resync=" + resync + ", mqttBroker=" + mqttBroker
        + ", mqttUsername=" + mqttUsername + ", mqttPassword=" + (mqttPassword == null ? null : "(redacted)")
        + ", mqttCaFile=" + mqttCaFile + ", heartbeatInterval=" + heartbeatInterval + ", alertWebhooks="
        + alertWebhooks + ", alertWindow=" + alertWindow + ", alertDamping=" + alertDamping + ", port=" + port
        + ", siteLabel=" + siteLabel + ", siteUnreachablePercent=" + siteUnreachablePercent + ", notifyWebhooks="
        + notifyWebhooks + ", notifyWindow=" + notifyWindow + "]";
  }

  private static Set<String> orderedSet(String... names) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
  }

  /** The given flags read as types, each error naming its flag. */
  private record Values(Map<String, String> flags) {
    String string(String name, String dflt) {
      return flags.getOrDefault(name, dflt);
    }

    boolean bool(String name, boolean dflt) {
      String s = flags.get(name);
      if (s == null) return dflt;
      if (s.equals("true") || s.equals("false")) return Boolean.parseBoolean(s);
      throw new Invalid("--" + name + " \"" + s + "\" must be true or false");
    }

    int integer(String name, int dflt, int min, int max) {
      String s = flags.get(name);
      if (s == null) return dflt;
      try {
        int n = Integer.parseInt(s);
        if (n >= min && n <= max) return n;
      } catch (NumberFormatException e) {
        // reported below with the range
      }
      throw new Invalid("--" + name + " \"" + s + "\" must be a whole number from " + min + " to " + max);
    }

    Duration duration(String name, Duration dflt) {
      String s = flags.get(name);
      if (s == null) return dflt;
      if (s.matches("[0-9]+")) {
        throw new Invalid("--" + name + ": \"" + s + "\" is not a duration; write e.g. " + s + "s");
      }
      try {
        return Durations.parse(s);
      } catch (IllegalArgumentException e) {
        throw new Invalid("--" + name + ": " + e.getMessage());
      }
    }

    Duration positive(String name, Duration dflt) {
      Duration d = duration(name, dflt);
      if (d.isZero()) {
        throw new Invalid("--" + name + " must be more than 0; write e.g. " + Durations.format(dflt));
      }
      return d;
    }
  }
}
