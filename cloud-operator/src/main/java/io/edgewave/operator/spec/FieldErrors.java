package io.edgewave.operator.spec;

import io.edgewave.protocol.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The errors of one spec, collected by every section parser in the order found, so that a user sees all of them at
 * once instead of fixing one per apply.
 */
public final class FieldErrors {
  private final List<FieldError> errors = new ArrayList<>();

  /** @param field the path, e.g. spec.strategy.waves[2].size; @param message what is wrong and how to fix it */
  public void add(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  public boolean isEmpty() { return errors.isEmpty(); }

  public List<FieldError> list() { return List.copyOf(errors); }

  /**
   * The parsed value, or null after recording the parser's message: parsers here throw IllegalArgumentException
   * with a message that names the text and an example that works.
   */
  public <T> T parse(String field, String text, Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      add(field, e.getMessage());
      return null;
    }
  }

  /** A duration such as 15m, {@code dflt} when absent. */
  public Duration duration(String field, String text, Duration dflt) {
    return text == null ? dflt : parse(field, text, Durations::parse);
  }
}
