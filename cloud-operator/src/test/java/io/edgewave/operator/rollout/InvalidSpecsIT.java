package io.edgewave.operator.rollout;

import io.edgewave.operator.spec.InvalidSpecCorpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole invalid-spec corpus applied to a running operator: every one Invalid, naming its field; nothing deployed. */
class InvalidSpecsIT {
  @Test
  void everyBrokenReleaseIsMarkedInvalidWithItsFieldAndNothingIsDeployed() throws Exception {
    List<InvalidSpecCorpus> corpus = InvalidSpecCorpus.all();
    try (OperatorHarness h = new OperatorHarness(10, 4).startOperator()) {
      for (InvalidSpecCorpus c : corpus) {
        EdgeRelease er = c.release();
        er.getMetadata().setNamespace(OperatorHarness.NS);
        h.client.resource(er).create();
      }
      for (InvalidSpecCorpus c : corpus) {
        EdgeRelease done = h.awaitPhase(c.release().getMetadata().getName(), Phase.Invalid, Duration.ofSeconds(30));
        String message = done.getStatus().getMessage();
        assertTrue(message.contains(c.expectedField() + ":"), c.file() + ": " + message);
        assertTrue(done.getStatus().getConditions().stream().anyMatch(x -> x.getType().equals("Invalid")
            && x.getStatus().equals("True") && x.getMessage().contains(c.expectedField())), c.file() + " has the Invalid condition");
      }
      assertEquals(0, h.client.apps().deployments().inAnyNamespace().list().getItems().size(), "nothing deployed");
      assertEquals(0, h.kubelet.dispatches().size());
    }
  }
}
