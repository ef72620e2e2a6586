package io.edgewave.operator.plans;

import io.edgewave.operator.plan.WaveSizing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.plan.TargetNode;
import io.edgewave.operator.plan.WavePlan;
import io.edgewave.operator.plan.WavePlanner;
import io.edgewave.operator.spec.EdgeReleaseValidator;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped plans load, validate, and plan the way their comments say. */
class RolloutPlansTest {
  static final Path DIR = Path.of("..", "rollout-plans");
  static final List<TargetNode> FLEET = SimulatedFleet.nodes(100, 30, 25).stream()
      .map(n -> new TargetNode(n.getMetadata().getName(), n.getMetadata().getLabels())).toList();

  static EdgeRelease load(String file) throws Exception {
    return Serialization.unmarshal(Files.readString(DIR.resolve(file)), EdgeRelease.class);
  }

  @Test
  void everyShippedPlanIsValid() throws Exception {
    try (Stream<Path> files = Files.list(DIR)) {
      List<Path> plans = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertTrue(plans.size() >= 2);
      for (Path p : plans) {
        var result = EdgeReleaseValidator.validate(load(p.getFileName().toString()).getSpec());
        assertTrue(result.valid(), p + ": " + result.message());
      }
    }
  }

  @Test
  void scanUploadGoesCanarySiteThenTenThenThirtyPercentThenTheRestAtNight() throws Exception {
    EdgeRelease er = load("scan-upload.yaml");
    var policy = EdgeReleaseValidator.validate(er.getSpec()).policy();
    WavePlan plan = WavePlanner.plan(policy, FLEET, "logistics/scan-upload");
    assertEquals(List.of("canary", "early", "broad", "rest"), plan.waves().stream().map(w -> w.name()).toList());
    assertEquals(List.of(4, 10, 30, 56), plan.waves().stream().map(w -> w.nodes().size()).toList());
    assertTrue(plan.waves().get(0).nodes().stream().allMatch(n -> n.contains("hangzhou-01")));
    assertEquals(OnFailure.Halt, policy.strategy().onFailure());
    assertEquals("Asia/Shanghai", policy.schedule().windows().get(0).zone().getId());
    assertTrue(((WaveSizing.Listed) policy.strategy().sizing()).waves().get(2).approval());
  }

  @Test
  void cameraInferenceGoesOneBoxThenQuarterBatchesAndRollsBackOnGpus() throws Exception {
    EdgeRelease er = load("camera-inference.yaml");
    var policy = EdgeReleaseValidator.validate(er.getSpec()).policy();
    WavePlan plan = WavePlanner.plan(policy, FLEET, "logistics/camera-inference");
    assertEquals(List.of(1, 8, 8, 8, 5), plan.waves().stream().map(w -> w.nodes().size()).toList());
    assertTrue(plan.targets().stream().allMatch(t -> t.name().startsWith("gpu-")));
    assertEquals(OnFailure.Rollback, policy.strategy().onFailure());
    var spec = er.getSpec().getWorkload().getTemplate().getSpec();
    assertEquals(new Quantity("1"), spec.getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
    assertTrue(spec.getTolerations().stream().anyMatch(t -> t.getKey().equals("node-role.kubernetes.io/edge")));
  }
}
