package io.edgewave.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoIT {
  @Test
  @SuppressWarnings("unchecked")
  void demoRollsBothShippedPlansOutDetectsKilledBoxesAndRoutesAroundThem() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    // h = 1 s, so a silent box is lost after 3.2 s; bakes / 200 leave the killed boxes' wave time to come
    var config = new Demo.Config(24, 12, 0, 2, null, 200, Path.of("..", "rollout-plans"), true, 7, java.time.Duration.ofSeconds(1), 0,
        false);
    Map<String, Object> summary = new Demo(config, new PrintStream(buf, true)).run();
    String out = buf.toString();
    List<Map<String, Object>> releases = (List<Map<String, Object>>) summary.get("releases");
    assertEquals(2, releases.size(), out);
    for (Map<String, Object> r : releases) assertEquals("Succeeded", r.get("phase"), out);
    Map<String, Object> camera = releases.stream().filter(r -> r.get("name").equals("camera-inference")).findFirst().orElseThrow();
    Map<String, Object> scan = releases.stream().filter(r -> r.get("name").equals("scan-upload")).findFirst().orElseThrow();
    assertEquals(2, summary.get("nodesKilled"));
    assertEquals(24, scan.get("nodesUpdated"));
    assertEquals(5L, camera.get("wavesCompleted"));
    assertTrue((int) camera.get("nodesUpdated") + (int) camera.get("nodesOffline") == 12, out);
    assertTrue(out.contains("ops approves scan-upload wave broad"), out);
    assertTrue(Demo.json(summary).startsWith("{\"releases\":[{\"name\":"));
    assertEquals(2, summary.get("lostDetected"), out);
    Map<String, Object> latency = (Map<String, Object>) summary.get("detectionLatencySeconds");
    assertTrue((double) latency.get("max") <= 5.0, latency.toString());
    assertTrue(out.contains("Node condition EdgeProbeHealthy=False written"), out);
    // times for people: a bake says how long is left, and no time has fractions of a second
    assertTrue(out.matches("(?s).*Baking: baking wave \\S+ until \\S+Z \\(next step in \\d+ s\\).*"), out);
    assertTrue(!out.matches("(?s).*until \\S+\\.\\d+Z.*"), out);
  }
}
