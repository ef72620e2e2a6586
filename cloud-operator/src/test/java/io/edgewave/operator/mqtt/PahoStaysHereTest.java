package io.edgewave.operator.mqtt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The operator talks MQTT only through this package, so the Paho threading rule (never call the client from its
 * callback) is kept in one place. The demo is the exception: its simulated probes publish as probes do, a client of
 * their own and not the operator's.
 */
class PahoStaysHereTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.edgewave.operator");

  @Test
  void onlyTheMqttPackageUsesPaho() {
    noClasses().that().resideOutsideOfPackages("io.edgewave.operator.mqtt..", "io.edgewave.operator.demo..")
        .should().dependOnClassesThat().resideInAPackage("org.eclipse.paho..")
        .check(CLASSES);
  }
}
