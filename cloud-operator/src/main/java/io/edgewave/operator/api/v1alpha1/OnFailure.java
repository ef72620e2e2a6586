package io.edgewave.operator.api.v1alpha1;

public enum OnFailure { Halt, Rollback }
