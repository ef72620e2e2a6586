package io.edgewave.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The planners, deciders and aggregators stay pure: records in, records out, no client libraries. */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.edgewave.operator");

  @Test
  void planPackageImportsNoClientLibraries() {
    noClasses().that().resideInAPackage("..plan..")
        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "org.eclipse.paho..")
        .check(CLASSES);
  }

  @Test
  void deciderAndAggregatorImportNoClientLibraries() {
    noClasses().that().haveSimpleNameStartingWith("RolloutDecider").or().haveSimpleName("EdgeReleaseStatusAggregator")
        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "org.eclipse.paho..")
        .check(CLASSES);
  }
}
