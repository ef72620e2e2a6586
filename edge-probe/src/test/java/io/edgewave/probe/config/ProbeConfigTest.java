package io.edgewave.probe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.probe.check.LocalCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeConfigTest {
  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("probe.properties");
    Files.writeString(file, "broker=tcp://file:1883\ninterval=30s\nusername=from-file\n");
    ProbeConfig c = ProbeConfig.parse(new String[] {"--node", "gpu-a-001", "--config", file.toString(), "--interval", "5s"},
        Map.of("EDGEWAVE_BROKER", "tcp://env:1883"));
    assertEquals("tcp://env:1883", c.broker());
    assertEquals(Duration.ofSeconds(5), c.interval());
    assertEquals("from-file", c.username());
    assertEquals(Duration.ofSeconds(10), c.keepAlive(), "keep-alive defaults to 2 intervals");
    assertEquals("edgewave-probe-gpu-a-001", c.clientId());
  }

  @Test
  void nodeNameFallsBackToTheDownwardApiVariable() {
    assertEquals("tc-1", ProbeConfig.parse(new String[0], Map.of("NODE_NAME", "tc-1")).node());
  }

  @Test
  void badSettingsNameTheFlagAndTheFix() {
    assertTrue(msg(new String[0]).startsWith("--node is required"));
    assertTrue(msg(new String[] {"--node", "n", "--broker", "mqtt://x"}).contains("tcp://host:1883"));
    assertTrue(msg(new String[] {"--node", "n", "--interval", "10 s"}).contains("is not a duration"));
    assertTrue(msg(new String[] {"--node", "n", "--interval", "10s", "--keep-alive", "60s"}).contains("3 x --interval"));
    assertTrue(msg(new String[] {"--node", "n", "--check", "rtsp://cam"}).contains("start with tcp:, http: or cmd:"));
    assertTrue(msg(new String[] {"--node", "n", "--colour", "red"}).startsWith("unknown flag --colour"));
  }

  @Test
  void durationsUseTheOperatorsGrammarDaysIncluded() {
    ProbeConfig c = ProbeConfig.parse(new String[] {"--node", "n", "--backoff-max", "1d", "--interval", "1m30s"}, Map.of());
    assertEquals(Duration.ofDays(1), c.backoffMax());
    assertEquals(Duration.ofSeconds(90), c.interval());
  }

  @Test
  void aCaFileThatIsNotPemFailsAtStartNamingTheFlag(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.crt"), "not a certificate");
    assertTrue(msg(new String[] {"--node", "n", "--ca-file", notPem.toString()}).startsWith("--ca-file " + notPem));
    assertTrue(msg(new String[] {"--node", "n", "--ca-file", dir.resolve("missing.crt").toString()}).startsWith("--ca-file"));
  }

  @Test
  void checksParseWithNames() {
    ProbeConfig c = ProbeConfig.parse(new String[] {"--node", "n", "--check", "camera=tcp:192.0.2.10:554",
        "--check", "http:http://127.0.0.1:8080/healthz", "--check", "gpu=cmd:nvidia-smi -L"}, Map.of());
    assertEquals(new LocalCheck.Spec("camera", LocalCheck.Type.TCP, "192.0.2.10:554", Duration.ofSeconds(3)), c.checks().get(0));
    assertEquals("http", c.checks().get(1).name());
    assertEquals("nvidia-smi -L", c.checks().get(2).target());
  }

  /** The flags are declared once: --help, the parser, the env names and the file keys all come from them. */
  @Test
  void theHelpIsGeneratedFromTheFlagsAndNamesEveryOne() {
    String usage = ProbeConfig.commandLine().getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
    assertTrue(usage.startsWith("Usage: java -Xmx32m -jar edgewave-probe.jar --node NAME [flags]"), usage);
    assertEquals(17, ProbeConfig.KEYS.size(), ProbeConfig.KEYS.toString());
    for (String k : ProbeConfig.KEYS) assertTrue(usage.contains("--" + k + "="), k + " in\n" + usage);
    assertTrue(usage.contains("EDGEWAVE_<FLAG>"), usage);
  }

  @Test
  void aFlagGivenTwiceTakesTheLastAndAMissingValueNamesItsFlag() {
    assertEquals("b", ProbeConfig.parse(new String[] {"--node", "a", "--node=b"}, Map.of()).node());
    assertEquals("--interval needs a value", msg(new String[] {"--node", "n", "--interval"}));
    assertTrue(msg(new String[] {"n"}).startsWith("unexpected argument \"n\""));
    assertEquals("@camera", ProbeConfig.parse(new String[] {"--node", "n", "--username", "@camera"}, Map.of()).username(),
        "an @ value is not read as a file of arguments");
  }

  static String msg(String[] args) {
    return assertThrows(ProbeConfig.Invalid.class, () -> ProbeConfig.parse(args, Map.of())).getMessage();
  }
}
