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
  void demoRollsBothShippedPlansOutAndSkipsKilledBoxes() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    var config = new Demo.Config(24, 12, 0, 2, null, 2000, Path.of("..", "rollout-plans"), true, 7);
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
  }
}
