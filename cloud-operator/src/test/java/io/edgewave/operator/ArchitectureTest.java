package io.edgewave.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pure core stays pure: records in, records out, time passed in, no client libraries. The Kubernetes model
 * types (io.fabric8.kubernetes.api.model) are data and allowed where the spec embeds them (a pod template); the
 * fabric8 client, JOSDK and Paho are not.
 */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.edgewave.operator");
  static final String[] CLIENTS = {"io.fabric8.kubernetes.client..", "io.javaoperatorsdk..", "org.eclipse.paho.."};

  /** Outside plan/, the pure classes by name: deciding, classifying, aggregating, detecting, batching, building. */
  static final Set<String> PURE = Set.of(
      "io.edgewave.operator.rollout.RolloutDecider", "io.edgewave.operator.rollout.NodeClassifier",
      "io.edgewave.operator.rollout.EdgeReleaseStatusAggregator", "io.edgewave.operator.spec.EdgeReleaseValidator",
      "io.edgewave.operator.rollout.WaveRoster", "io.edgewave.operator.rollout.Progress",
      "io.edgewave.operator.rollout.RolloutInput", "io.edgewave.operator.rollout.RolloutDecision",
      "io.edgewave.operator.rollout.NodeView", "io.edgewave.operator.rollout.Approvals",
      "io.edgewave.operator.rollout.PreflightCheck", "io.edgewave.operator.fleet.FailureDetector",
      "io.edgewave.operator.fleet.NodeConditionPlanner", "io.edgewave.operator.fleet.FleetFacts",
      "io.edgewave.operator.alert.AlertBatcher", "io.edgewave.operator.dashboard.FleetBoard");

  @Test
  void planPackageImportsNoClientLibraries() {
    noClasses().that().resideInAPackage("..plan..").should().dependOnClassesThat().resideInAnyPackage(CLIENTS)
        .check(CLASSES);
  }

  @Test
  void everyPureClassImportsNoClientLibrary() {
    noClasses().that(com.tngtech.archunit.base.DescribedPredicate.describe("are pure",
            (com.tngtech.archunit.core.domain.JavaClass c) -> PURE.contains(c.getName())
                || PURE.contains(c.getName().replaceAll("\\$.*", ""))))
        .should().dependOnClassesThat().resideInAnyPackage(CLIENTS)
        .check(CLASSES);
  }

  @Test
  void thePureClassesNamedHereExist() {
    for (String name : PURE) {
      if (!CLASSES.contain(name)) throw new AssertionError(name + " is gone: keep this list true");
    }
  }
}
