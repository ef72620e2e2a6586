package io.edgewave.operator.rollout;

public record WaveTally(String name, int targets, int updated, int ready, int failed, int offline, int skipped) {}
