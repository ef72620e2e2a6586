package io.edgewave.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.demo.SimulatedFleet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/edgewave and its kubectl-plugin name, run as processes on the packaged jar. */
class LauncherIT {
  static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();

  record Result(int code, String out) {}

  static Result exec(Path cwd, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished");
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void pluginNameRunsFromAnyDirectoryAndKeepsRelativePaths(@TempDir Path dir) throws Exception {
    List<Map<String, Object>> nodes = SimulatedFleet.nodes(0, 8, 2).stream()
        .map(n -> Map.<String, Object>of("name", n.getMetadata().getName(), "labels", n.getMetadata().getLabels())).toList();
    Files.writeString(dir.resolve("nodes.json"), Serialization.asJson(nodes));
    Files.copy(Path.of("..", "rollout-plans", "camera-inference.yaml"), dir.resolve("plan.yaml"));
    Result r = exec(dir, Map.of(), BIN.resolve("kubectl-edgewave").toString(), "plan", "-f", "plan.yaml", "--nodes",
        "nodes.json", "-o", "json");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("\"targets\":8"), r.out());
    Result yaml = exec(dir, Map.of(), BIN.resolve("edgewave").toString(), "plan", "-f", "plan.yaml", "--nodes",
        "nodes.json", "-o", "yaml");
    assertEquals(0, yaml.code(), yaml.out());
    assertTrue(yaml.out().contains("targets: 8"), yaml.out());
    Result bash = exec(dir, Map.of(), BIN.resolve("edgewave").toString(), "completion", "bash");
    assertEquals(0, bash.code(), bash.out());
    assertTrue(bash.out().contains("complete -F _complete_edgewave"), bash.out());
  }

  @Test
  void kubectlFindsThePluginOnThePath() throws Exception {
    String kubectl = null;
    for (String d : System.getenv("PATH").split(File.pathSeparator)) {
      if (new File(d, "kubectl").canExecute()) kubectl = new File(d, "kubectl").getPath();
    }
    // scripts/test.sh installs kubectl (Debian kubernetes-client), so a missing one is a failed set-up, not a skip
    assertTrue(kubectl != null, "kubectl not on PATH: run scripts/test.sh, which installs kubernetes-client");
    Result r = exec(Path.of("."), Map.of("PATH", BIN + File.pathSeparator + System.getenv("PATH")), kubectl,
        "edgewave", "--help");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("Usage: edgewave [-hV] <command>"), r.out());
    // kubectl's plugin completion (1.26+): it runs kubectl_complete-edgewave from the PATH
    Result c = exec(Path.of("."), Map.of("PATH", BIN + File.pathSeparator + System.getenv("PATH")), kubectl,
        "__complete", "edgewave", "sta");
    assertEquals(0, c.code(), c.out());
    assertTrue(c.out().lines().anyMatch("status"::equals), c.out());
  }
}
