package io.edgewave.operator.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.CrdYaml;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed CRD must be exactly what the Java classes generate. */
class CrdFileTest {
  static final Path COMMITTED = Path.of("..", "crds", CrdYaml.FILE_NAME);

  @Test
  void committedCrdMatchesTheJavaClasses() throws Exception {
    String generated = CrdYaml.generate();
    assertTrue(Files.exists(COMMITTED), "missing " + COMMITTED + ": run scripts/update-crds.sh");
    assertEquals(Files.readString(COMMITTED), generated,
        "crds/ differs from the Java API classes: run scripts/update-crds.sh and commit the result");
  }

  @Test
  void theUpdateCommandWritesExactlyTheGeneratedCrd(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub").resolve(CrdYaml.FILE_NAME);
    CrdYaml.main(new String[] {file.toString()});
    assertEquals(CrdYaml.generate(), Files.readString(file));
  }

  @Test
  void printerColumnsAreInTheOrderKubectlShouldShowThem() throws Exception {
    CustomResourceDefinition crd = CrdYaml.load(Files.readString(COMMITTED));
    List<String> names = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName).toList();
    assertEquals(List.of("Phase", "Wave", "Updated", "Failed", "Offline", "Age"), names);
    assertEquals(List.of("er"), crd.getSpec().getNames().getShortNames());
    assertEquals("Namespaced", crd.getSpec().getScope());
  }

  @Test
  void schemaCarriesEnumsBoundsAndPatterns() throws Exception {
    String yaml = Files.readString(COMMITTED);
    for (String expected : List.of("- \"Halt\"", "- \"Rollback\"", "- \"Skip\"", "- \"Wait\"", "- \"Fail\"",
        "pattern: \"" + Patterns.DURATION.replace("\\", "\\\\") + "\"",
        "pattern: \"" + Patterns.SIZE.replace("\\", "\\\\") + "\"",
        "maxItems: " + Limits.MAX_WAVES, "x-kubernetes-preserve-unknown-fields: true")) {
      assertTrue(yaml.contains(expected), "CRD schema lacks " + expected);
    }
  }
}
