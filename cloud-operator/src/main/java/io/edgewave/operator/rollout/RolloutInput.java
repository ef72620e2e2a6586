package io.edgewave.operator.rollout;

import io.edgewave.operator.plan.ReleasePolicy;
import io.edgewave.operator.plan.WavePlan;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Everything the decider needs, observed at one instant. {@code nodes} holds every target of the plan;
 * {@code progress} is null for a release never reconciled.
 */
public record RolloutInput(
    Instant now, String revision, ReleasePolicy policy, WavePlan plan, Map<String, NodeView> nodes,
    Progress progress, Set<String> approvedWaves, int writeBudget) {}
