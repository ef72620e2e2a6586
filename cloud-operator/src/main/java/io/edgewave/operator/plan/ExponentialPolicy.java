package io.edgewave.operator.plan;

import java.time.Duration;

public record ExponentialPolicy(int canary, double factor, Amount maxBatch, Duration bakeTime, Amount maxFailures) {}
