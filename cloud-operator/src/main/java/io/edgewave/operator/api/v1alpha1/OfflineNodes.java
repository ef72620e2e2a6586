package io.edgewave.operator.api.v1alpha1;

public enum OfflineNodes { Skip, Wait, Fail }
