package io.edgewave.bench;

import io.edgewave.operator.plan.WavePlanner;
import io.edgewave.operator.rollout.EdgeReleaseStatusAggregator;
import io.edgewave.operator.spec.EdgeReleaseValidator;
import io.edgewave.operator.rollout.ReleaseObserver;
import io.edgewave.operator.rollout.RolloutDecider;
import io.edgewave.operator.rollout.RolloutDecision;
import io.edgewave.operator.rollout.RolloutInput;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure core at 100, 1,000 and 10,000 nodes, in the middle of a rollout. {@code reconcile} is one whole
 * reconcile without its API round trips: observe (informer objects to records), validate, plan, decide, build
 * status. Sample mode, so JMH reports p50 and p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class PlanningBench {
  @Param({"100", "1000", "10000"})
  public int nodes;

  Fixtures.MidRollout m;
  RolloutInput input;
  String key;

  @Setup(Level.Trial)
  public void setUp() {
    m = Fixtures.midRollout(nodes);
    input = m.input();
    key = m.release().getMetadata().getNamespace() + "/" + m.release().getMetadata().getName();
  }

  @Benchmark
  public Object plan() {
    return WavePlanner.plan(m.policy(), m.targets(), key);
  }

  @Benchmark
  public Object decide() {
    return RolloutDecider.decide(input);
  }

  @Benchmark
  public Object reconcile() {
    var observed = ReleaseObserver.observe(m.release(), m.nodes(), m.deployments(), m.pods());
    var v = EdgeReleaseValidator.validate(m.release().getSpec());
    var plan = WavePlanner.plan(v.policy(), observed.nodes(), key);
    var targets = new HashMap<String, io.edgewave.operator.rollout.NodeView>(plan.size() * 2);
    for (var t : plan.targets()) targets.put(t.name(), observed.views().get(t.name()));
    RolloutDecision d = RolloutDecider.decide(new RolloutInput(m.now(), m.revision(), v.policy(), plan, targets,
        EdgeReleaseStatusAggregator.progressOf(m.status()), m.approved(), 200, java.util.Map.of()));
    return EdgeReleaseStatusAggregator.aggregate(d, m.status(), 1, m.now(), null);
  }
}
