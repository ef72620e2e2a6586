package io.edgewave.operator.spec;

/** One problem in a spec: the field's path, what is wrong and how to fix it. */
public record FieldError(String field, String message) {
  @Override
  public String toString() { return field + ": " + message; }
}
