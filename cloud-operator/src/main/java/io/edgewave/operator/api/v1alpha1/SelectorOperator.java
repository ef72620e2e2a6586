package io.edgewave.operator.api.v1alpha1;

public enum SelectorOperator { In, NotIn, Exists, DoesNotExist }
