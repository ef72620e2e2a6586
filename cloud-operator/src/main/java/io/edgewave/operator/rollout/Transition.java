package io.edgewave.operator.rollout;

/** Something worth an INFO line and a Kubernetes Event: a wave started, a release halted. */
public record Transition(String reason, String message, boolean warning) {}
