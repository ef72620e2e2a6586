package io.edgewave.operator.plan;

/** A spec that validates alone but cannot be planned over these targets; names the field and the fix. */
public class PlanException extends RuntimeException {
  private final String field;

  public PlanException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() { return field; }
}
