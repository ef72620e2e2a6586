package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** src/test/resources/invalid-specs: one broken EdgeRelease per file, its first line naming the field at fault. */
public record InvalidSpecCorpus(String file, String expectedField, EdgeRelease release) {
  static final Path DIR = Path.of("src", "test", "resources", "invalid-specs");

  public static List<InvalidSpecCorpus> all() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(f -> {
        try {
          String text = Files.readString(f);
          String first = text.lines().findFirst().orElse("");
          if (!first.startsWith("# expect: ")) throw new IllegalStateException(f + " lacks its '# expect: field' line");
          return new InvalidSpecCorpus(f.getFileName().toString(), first.substring("# expect: ".length()).strip(),
              Serialization.unmarshal(text, EdgeRelease.class));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
    }
  }
}
