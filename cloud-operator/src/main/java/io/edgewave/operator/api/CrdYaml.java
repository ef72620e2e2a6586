package io.edgewave.operator.api;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Generates the EdgeRelease CRD from the Java classes, exactly as committed under crds/. */
public final class CrdYaml {
  public static final String FILE_NAME = "edgereleases.edgewave.io-v1.yml";

  private CrdYaml() {}

  /**
   * Writes the generated CRD to each file named (scripts/update-crds.sh passes crds/ and deploy/base/crd/). A
   * command, not a test mode, so that the test comparing crds/ with the classes can always fail.
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: CrdYaml <file>...  (writes the EdgeRelease CRD generated from the Java classes)");
      System.exit(2);
    }
    String yaml = generate();
    for (String a : args) {
      Path file = Path.of(a);
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      Files.writeString(file, yaml);
      System.out.println("wrote " + file);
    }
  }

  public static String generate() {
    try {
      Path dir = Files.createTempDirectory("edgewave-crd");
      try {
        new CRDGenerator().customResourceClasses(EdgeRelease.class).forCRDVersions("v1")
            .inOutputDir(dir.toFile()).generate();
        CustomResourceDefinition crd =
            Serialization.unmarshal(Files.readString(dir.resolve(FILE_NAME)), CustomResourceDefinition.class);
        crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns().sort(declaredOrder()));
        return "# Generated from cloud-operator/src/main/java/io/edgewave/operator/api/v1alpha1 by "
            + "scripts/update-crds.sh; do not edit.\n" + Serialization.asYaml(crd);
      } finally {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The generator orders printer columns by hash; kubectl shows them in list order, so restore ours. */
  private static Comparator<CustomResourceColumnDefinition> declaredOrder() {
    List<String> names = Arrays.stream(EdgeRelease.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    return Comparator.comparingInt(c -> names.indexOf(c.getName()));
  }

  /** The committed CRD loaded as an object, e.g. to install it on an API server. */
  public static CustomResourceDefinition load(String yaml) {
    return Serialization.unmarshal(yaml, CustomResourceDefinition.class);
  }
}
