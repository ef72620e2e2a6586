package io.edgewave.operator.rollout;

public record NodeFailure(String node, int wave, String waveName, String reason) {}
