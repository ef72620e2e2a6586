package io.edgewave.operator.config;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.kube.EdgeReleaseReconciler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's settings: defaults, flags over environment over defaults, and errors that name the flag and fix. */
class OperatorConfigTest {
  /** A self-signed CA certificate whose key was thrown away: the CA file must be a real PEM certificate. */
  static final String TEST_CA = Path.of("src/test/resources/tls/test-ca.crt").toAbsolutePath().toString();
  static OperatorConfig parse(Map<String, String> flags) {
    return OperatorConfig.parse(flags, Map.of());
  }

  static String error(String flag, String value) {
    return assertThrows(OperatorConfig.Invalid.class, () -> parse(Map.of(flag, value)), "--" + flag + " " + value)
        .getMessage();
  }

  /** The CA file is read only when a broker is configured, as the subscriber is then the only one to use it. */
  static String caError(String file) {
    return assertThrows(OperatorConfig.Invalid.class,
        () -> parse(Map.of("mqtt-broker", "ssl://mosquitto:8883", "mqtt-ca-file", file))).getMessage();
  }

  @Test
  void aCaFileWithoutABrokerIsNotRead() {
    assertEquals("/no/such/ca.crt", parse(Map.of("mqtt-ca-file", "/no/such/ca.crt")).mqttCaFile());
  }

  @Test
  void withNothingGivenEverySettingHasItsDefault() {
    OperatorConfig c = OperatorConfig.parse(Map.of(), Map.of());
    assertTrue(c.leaderElection());
    assertEquals("edgewave-system", c.leaseNamespace());
    assertEquals("edgewave-operator", c.identity());
    assertEquals(Duration.ofSeconds(15), c.leaseDuration());
    assertEquals(Duration.ofSeconds(10), c.renewDeadline());
    assertEquals(Duration.ofSeconds(2), c.retryPeriod());
    assertEquals(200, c.writeBudget());
    assertEquals(Duration.ofMinutes(5), c.resync());
    assertNull(c.mqttBroker());
    assertFalse(c.mqttEnabled());
    assertNull(c.mqttUsername());
    assertNull(c.mqttPassword());
    assertNull(c.mqttCaFile());
    assertEquals(Duration.ofSeconds(10), c.heartbeatInterval());
    assertEquals(List.of(), c.alertWebhooks());
    assertEquals(Duration.ofSeconds(20), c.alertWindow());
    assertEquals(Duration.ofMinutes(10), c.alertDamping());
    assertEquals(8080, c.port());
    assertEquals("edgewave.io/site", c.siteLabel());
    assertEquals(c, OperatorConfig.defaults());
  }

  /** The adapters keep their own defaults for the tests and the demo; the CLI's must not drift from them. */
  @Test
  void defaultsAreTheAdaptersDefaults() {
    OperatorConfig c = OperatorConfig.defaults();
    assertEquals(EdgeReleaseReconciler.Settings.DEFAULTS, new EdgeReleaseReconciler.Settings(c.writeBudget(), c.resync()));
    assertEquals(FailureDetector.Settings.DEFAULTS.defaultInterval(), c.heartbeatInterval());
  }

  @Test
  void everyFlagIsRead(@TempDir Path dir) throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
    var flags = new java.util.HashMap<String, String>();
    flags.put("leader-election", "false");
    flags.put("lease-namespace", "ops");
    flags.put("lease-duration", "3s");
    flags.put("renew-deadline", "2s");
    flags.put("retry-period", "500ms");
    flags.put("write-budget", "50");
    flags.put("resync", "1h30m");
    flags.put("mqtt-broker", "ssl://mosquitto:8883");
    flags.put("mqtt-username", "edgewave-operator");
    flags.put("mqtt-password-file", password.toString());
    flags.put("mqtt-ca-file", TEST_CA);
    flags.put("heartbeat-interval", "5s");
    flags.put("port", "0");
    flags.put("site-label", "example.com/region");
    flags.put("site-unreachable-share", "75");
    flags.put("alert-webhooks", "edgewave-system/ding, ops/slack,");
    flags.put("alert-window", "0s");
    flags.put("alert-damping", "1h");
    flags.put("notify-webhooks", "logistics/ops-dingtalk");
    flags.put("notify-window", "2s");
    assertEquals(OperatorConfig.FLAGS, flags.keySet(), "this test gives every flag");
    OperatorConfig c = parse(flags);
    assertEquals(new OperatorConfig(false, "ops", "edgewave-operator", Duration.ofSeconds(3), Duration.ofSeconds(2),
        Duration.ofMillis(500), 50, Duration.ofMinutes(90), "ssl://mosquitto:8883", "edgewave-operator", "s3cret",
        TEST_CA, Duration.ofSeconds(5),
        List.of(new OperatorConfig.WebhookSecret("edgewave-system", "ding"), new OperatorConfig.WebhookSecret("ops", "slack")),
        Duration.ZERO, Duration.ofHours(1), 0, "example.com/region", 75,
        List.of(new OperatorConfig.WebhookSecret("logistics", "ops-dingtalk")), Duration.ofSeconds(2)), c);
    assertTrue(c.mqttEnabled());
    assertFalse(c.toString().contains("s3cret"), "the password stays out of logs: " + c);
  }

  @Test
  void environmentFillsWhatNoFlagGives() {
    OperatorConfig c = OperatorConfig.parse(Map.of(), Map.of("POD_NAMESPACE", "ops", "POD_NAME", "edgewave-operator-7c9f",
        "HOSTNAME", "host-1", "EDGEWAVE_MQTT_BROKER", "tcp://mosquitto:1883"));
    assertEquals("ops", c.leaseNamespace());
    assertEquals("edgewave-operator-7c9f", c.identity(), "POD_NAME before HOSTNAME");
    assertEquals("tcp://mosquitto:1883", c.mqttBroker());
    assertEquals("host-1", OperatorConfig.parse(Map.of(), Map.of("HOSTNAME", "host-1")).identity());
  }

  @Test
  void flagsWinOverTheEnvironment() {
    OperatorConfig c = OperatorConfig.parse(Map.of("lease-namespace", "leases", "mqtt-broker", "ssl://broker:8883"),
        Map.of("POD_NAMESPACE", "ops", "EDGEWAVE_MQTT_BROKER", "tcp://mosquitto:1883"));
    assertEquals("leases", c.leaseNamespace());
    assertEquals("ssl://broker:8883", c.mqttBroker());
  }

  @Test
  void eachBadValueNamesItsFlagAndTheFix() {
    assertEquals("--lease-duration: \"15\" is not a duration; write e.g. 15s", error("lease-duration", "15"));
    assertEquals("--resync: \"5 minutes\" is not a duration; write e.g. 30s, 15m, 1h30m or 2d", error("resync", "5 minutes"));
    assertEquals("--heartbeat-interval must be more than 0; write e.g. 10s", error("heartbeat-interval", "0s"));
    assertEquals("--retry-period must be more than 0; write e.g. 2s", error("retry-period", "0ms"));
    assertEquals("--alert-window: \"soon\" is not a duration; write e.g. 30s, 15m, 1h30m or 2d", error("alert-window", "soon"));
    assertEquals("--alert-damping: \"10\" is not a duration; write e.g. 10s", error("alert-damping", "10"));
    assertEquals("--renew-deadline 15s must be shorter than --lease-duration 15s, or two leaders can overlap;"
        + " e.g. --lease-duration 15s --renew-deadline 10s", error("renew-deadline", "15s"));
    assertEquals("--retry-period 10s must be shorter than --renew-deadline 10s, or a leader cannot renew in time;"
        + " e.g. --renew-deadline 10s --retry-period 2s", error("retry-period", "10s"));
    assertEquals("--leader-election \"yes\" must be true or false", error("leader-election", "yes"));
    assertEquals("--lease-namespace \"Edgewave_System\" is not a namespace name; write a lower-case DNS label such as"
        + " edgewave-system", error("lease-namespace", "Edgewave_System"));
    assertEquals("--write-budget \"0\" must be a whole number from 1 to 10000", error("write-budget", "0"));
    assertEquals("--write-budget \"lots\" must be a whole number from 1 to 10000", error("write-budget", "lots"));
    assertEquals("--port \"65536\" must be a whole number from 0 to 65535", error("port", "65536"));
    assertEquals("--mqtt-broker \"mosquitto:1883\" must look like tcp://host:1883 or ssl://host:8883", error("mqtt-broker", "mosquitto:1883"));
    assertTrue(caError("/no/such/ca.crt").startsWith("--mqtt-ca-file /no/such/ca.crt"));
    assertTrue(caError("pom.xml").endsWith(
        "; give the PEM file of the CA that signed the broker's certificate"));
    assertTrue(error("mqtt-password-file", "/no/such/password").startsWith(
        "--mqtt-password-file: cannot read /no/such/password: "));
    assertEquals("--alert-webhooks: webhook secret \"ding\" must be namespace/name; write e.g."
        + " edgewave-system/edgewave-alert-webhook", error("alert-webhooks", "edgewave-system/a,ding"));
    assertEquals("--site-label is empty; write a Node label key such as edgewave.io/site", error("site-label", " "));
    assertEquals("--site-unreachable-share \"0\" must be a whole number from 1 to 100", error("site-unreachable-share", "0"));
    assertTrue(error("no-such-flag", "1").startsWith("unknown flag --no-such-flag; known flags: --alert-damping, "));
  }

  @Test
  void aBadBrokerFromTheEnvironmentNamesTheFlagToo() {
    var e = assertThrows(OperatorConfig.Invalid.class,
        () -> OperatorConfig.parse(Map.of(), Map.of("EDGEWAVE_MQTT_BROKER", "mqtt://mosquitto")));
    assertEquals("--mqtt-broker \"mqtt://mosquitto\" must look like tcp://host:1883 or ssl://host:8883", e.getMessage());
  }

  /** 'edgewave run''s options in the picocli model: exactly the config's flags, in order (besides -h and -V). */
  static List<String> runOptions() {
    List<String> names = new ArrayList<>();
    for (var o : io.edgewave.operator.cli.Main.commandLine().getSubcommands().get("run").getCommandSpec().options()) {
      if (!o.usageHelp() && !o.versionHelp()) names.add(o.longestName().substring(2));
    }
    return names;
  }

  @Test
  void theRunVerbAcceptsExactlyTheConfigsFlags() {
    assertEquals(new ArrayList<>(OperatorConfig.FLAGS), runOptions(), "same flags, same order");
  }

  /** The defaults 'edgewave run --help' shows and hands to the config are the config's own. */
  @Test
  void theRunVerbsDefaultsAreTheConfigsDefaults() {
    var run = io.edgewave.operator.cli.Main.parse("run");
    Map<String, String> flags = new java.util.HashMap<>();
    for (var o : run.getCommandSpec().options()) {
      if (o.getValue() != null && !o.usageHelp() && !o.versionHelp()) flags.put(o.longestName().substring(2), o.getValue());
    }
    assertTrue(flags.containsKey("lease-duration") && flags.containsKey("notify-window"), flags.toString());
    assertFalse(flags.containsKey("lease-namespace") || flags.containsKey("mqtt-broker"),
        "settings with an environment variable have their default in the config, after the environment");
    assertEquals(OperatorConfig.defaults(), OperatorConfig.parse(flags, Map.of()));
  }

  /** A bad value given to 'edgewave run' ends with exit code 2 and the config's message, before any connection. */
  @Test
  void runReportsAConfigErrorAsUsageWithExitTwo() throws Exception {
    Method main = Class.forName("io.edgewave.operator.cli.Main").getDeclaredMethod("run", String[].class);
    main.setAccessible(true);
    PrintStream stderr = System.err;
    var err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = (int) main.invoke(null, (Object) new String[] {"run", "--lease-duration", "15", "--port", "0"});
    } finally {
      System.setErr(stderr);
    }
    assertEquals(2, code);
    assertEquals("edgewave run: --lease-duration: \"15\" is not a duration; write e.g. 15s",
        err.toString(StandardCharsets.UTF_8).strip());
  }

  /** The settings table of docs/install.md: its flag and environment columns, read back. */
  record Table(Set<String> flags, Set<String> env) {
    static Table read() throws Exception {
      String doc = Files.readString(Path.of("../docs/install.md"));
      int start = doc.indexOf("\n## Operator settings");
      assertTrue(start >= 0, "docs/install.md has a section \"Operator settings\"");
      int end = doc.indexOf("\n## ", start + 1);
      String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
      Set<String> flags = new LinkedHashSet<>();
      Set<String> env = new LinkedHashSet<>();
      for (String line : section.lines().filter(l -> l.startsWith("| ")).toList()) {
        String[] cells = line.split("\\|");
        Matcher f = Pattern.compile("`--([a-z-]+)`").matcher(cells[1]);
        while (f.find()) assertTrue(flags.add(f.group(1)), "--" + f.group(1) + " has one row");
        Matcher e = Pattern.compile("`([A-Z_]+)`").matcher(cells[2]);
        while (e.find()) env.add(e.group(1));
      }
      return new Table(flags, env);
    }
  }

  /** The one table of operator settings lists exactly the config's flags, in order, and its environment variables. */
  @Test
  void installDocsTableListsExactlyTheConfigsSettings() throws Exception {
    Table t = Table.read();
    assertEquals(new ArrayList<>(OperatorConfig.FLAGS), new ArrayList<>(t.flags()));
    assertEquals(OperatorConfig.ENV, t.env());
  }

  @Test
  void theConfigImportsNoClientLibrary() {
    var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.edgewave.operator.config");
    assertTrue(classes.contain(OperatorConfig.class));
    noClasses().that().haveNameMatching(".*\\.OperatorConfig(\\$.*)?").should().dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "org.eclipse.paho..", "io.edgewave.probe..")
        .check(classes);
  }
}
