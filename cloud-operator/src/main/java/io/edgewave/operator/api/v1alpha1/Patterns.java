package io.edgewave.operator.api.v1alpha1;

/** Regular expressions shared by the CRD schema and the operator's own validation. */
public final class Patterns {
  public static final String DURATION = "^([0-9]+(ms|s|m|h|d))+$";
  public static final String SIZE = "^([1-9][0-9]{0,5}|([1-9][0-9]?|100)%)$";
  public static final String MAX_FAILURES = "^([0-9]{1,6}|([0-9]{1,2}|100)%)$";
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  private Patterns() {}
}
