package io.edgewave.operator.rollout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.api.CrdYaml;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.demo.SimulatedKubelet;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One write in five of the operator's (Deployments, EdgeRelease status) fails: a 409, a 500, or a timeout after
 * the server applied it. The rollout still completes, every wave in order, no node updated twice, no wave mark lost.
 */
class ApiFaultsIT {
  @Test
  void conflictsErrorsAndTimeoutsAreRetriedWithoutDuplicatesOrLostTransitions() throws Exception {
    FaultyApi faults = new FaultyApi(0.2, Duration.ofSeconds(3));
    try (EmbeddedApiServer api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)), faults)) {
      SimulatedFleet.create(api.client(), SimulatedFleet.nodes(60, 0, 10));
      var operatorClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(api.client().getConfiguration())
          .withRequestTimeout(1500).withRequestRetryBackoffLimit(0).build()).build();
      try (SimulatedKubelet kubelet = new SimulatedKubelet(api.client(), Clock.systemUTC(), 7, 20, 150, 0).start()) {
        var operator = Assembly.start(OperatorHarness.config(Map.of()), Assembly.Wiring.on(operatorClient,
            Clock.systemUTC()));
        try {
          EdgeRelease er = new EdgeRelease();
          er.getMetadata().setName("scan-upload");
          er.getMetadata().setNamespace("logistics");
          er.setSpec(OperatorHarness.spec(EdgeReleaseRolloutIT.THREE_WAVES.formatted("2.4.1", "0", "Halt")));
          api.client().resource(er).create();
          await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var s = api.client().resources(EdgeRelease.class).inNamespace("logistics").withName("scan-upload").get().getStatus();
            return s != null && s.getPhase() == Phase.Succeeded;
          });
          var s = api.client().resources(EdgeRelease.class).inNamespace("logistics").withName("scan-upload").get().getStatus();
          assertEquals(60, s.getTotals().getReady());
          Instant previousEnd = Instant.MIN;
          for (WaveStatus w : s.getWaves()) {
            assertTrue(w.getStartedAt() != null && w.getCompletedAt() != null, "wave " + w.getName() + " marks kept");
            Instant started = Instant.parse(w.getStartedAt());
            assertTrue(!started.isBefore(previousEnd), "wave " + w.getName() + " started before the previous one ended");
            previousEnd = Instant.parse(w.getCompletedAt());
          }
          Map<String, Long> twice = kubelet.dispatches().stream()
              .collect(Collectors.groupingBy(d -> d.node() + "@" + d.revision(),
                  Collectors.mapping(SimulatedKubelet.Dispatch::dispatchedAt, Collectors.toSet())))
              .entrySet().stream().filter(e -> e.getValue().size() > 1)
              .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
          assertEquals(Map.of(), twice, "no node updated twice");
          assertTrue(faults.conflicts.get() > 0 && faults.errors.get() > 0 && faults.timeouts.get() > 0,
              "faults injected: " + faults.conflicts + " conflicts, " + faults.errors + " errors, " + faults.timeouts + " timeouts");
          System.out.printf("ApiFaultsIT: %d conflicts, %d errors, %d timeouts injected; rollout of 60 nodes succeeded%n",
              faults.conflicts.get(), faults.errors.get(), faults.timeouts.get());
        } finally {
          operator.close();
          operatorClient.close();
        }
      }
    }
  }
}
