package io.edgewave.operator.fleet;

import io.edgewave.protocol.Heartbeat;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A {@link SiteDetector} in front of sinks: transitions go through it, site incidents come out after them. The site
 * map arrives through the feedback of a convergence pass, possibly from another thread (the Node writer's), and is
 * applied on the heartbeat thread at the next call. Behind a {@link LeadershipGate} it sees what the gate lets through.
 */
final class SiteStage implements FleetSink {
  private final FleetSink sinks;
  private final SiteDetector detector;
  private volatile Map<String, String> newSites;

  SiteStage(FleetSink sinks, SiteDetector detector) {
    this.sinks = sinks;
    this.detector = detector;
  }

  private synchronized SiteDetector detector() {
    Map<String, String> m = newSites;
    if (m != null) {
      newSites = null;
      detector.sites(m);
    }
    return detector;
  }

  @Override
  public synchronized void transitions(List<FailureDetector.Transition> transitions) {
    SiteDetector.Result r = detector().transitions(transitions);
    if (!r.transitions().isEmpty()) sinks.transitions(r.transitions());
    if (!r.sites().isEmpty()) sinks.sites(r.sites());
  }

  @Override
  public void ingestDegraded(boolean degraded, String reason) {
    sinks.ingestDegraded(degraded, reason);
  }

  @Override
  public void accepted(Heartbeat heartbeat, Instant at) {
    sinks.accepted(heartbeat, at);
  }

  @Override
  public synchronized void converge(Map<String, FailureDetector.Verdict> verdicts, Feedback feedback) {
    SiteDetector.Result r = detector().verdicts(verdicts);
    if (!r.transitions().isEmpty()) sinks.transitions(r.transitions());
    if (!r.sites().isEmpty()) sinks.sites(r.sites());
    sinks.converge(verdicts, new Feedback() {
      @Override public void forget(String node) { feedback.forget(node); }

      @Override public void expect(String node) { feedback.expect(node); }

      @Override public void sites(Map<String, String> nodeToSite) { newSites = Map.copyOf(nodeToSite); }
    });
  }

  @Override
  public void sites(List<SiteDetector.SiteTransition> sites) {
    sinks.sites(sites);
  }

  /**
   * The site map as the Nodes have it now (replayed losses group at once), and the incidents the previous leader
   * recorded, continued: the sinks hear them as adopted (no new page), and "site back" follows when they return.
   */
  @Override
  public synchronized void takeover(Takeover recorded) {
    newSites = null;
    detector.sites(recorded.sites());
    SiteDetector.Result r = detector.adopt(recorded);
    sinks.takeover(recorded);
    if (!r.sites().isEmpty()) sinks.sites(r.sites());
  }

  /** Sites unreachable now. */
  synchronized java.util.Set<String> unreachable() {
    return detector().unreachable();
  }
}
