package io.edgewave.operator.spec;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/** Reads one section of a spec from YAML and lists what a parser reported, as "field: message". */
final class Sections {
  private Sections() {}

  static <T> T yaml(String text, Class<T> type) {
    return Serialization.unmarshal(text, type);
  }

  static List<String> reported(FieldErrors errors) {
    return errors.list().stream().map(FieldError::toString).toList();
  }
}
