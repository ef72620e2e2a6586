package io.edgewave.operator.fleet;

import io.edgewave.protocol.Heartbeat;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the detector's news goes: the Node condition writer, alerts, metrics, a demo's printer. Called on the one
 * heartbeat thread, in order; implementations must not block it.
 */
public interface FleetSink {
  void transitions(List<FailureDetector.Transition> transitions);

  default void ingestDegraded(boolean degraded, String reason) { }

  /** A heartbeat was accepted and the node's last-seen time set, at {@code at}; for benchmarks and tracing. */
  default void accepted(Heartbeat heartbeat, Instant at) { }

  /**
   * Every convergence period (the first one h + J after start), on the subscriber's thread: what the detector
   * knows of every node, for sinks that keep state elsewhere in step with it (the Node condition). What they learn
   * back goes through {@code feedback}; they must not block.
   */
  default void converge(Map<String, FailureDetector.Verdict> verdicts, Feedback feedback) { }

  /**
   * Sites that became unreachable or came back, after the transitions of the same batch (whose nodes of an
   * unreachable site carry {@link FailureDetector.Cause#SITE_UNREACHABLE}).
   */
  default void sites(List<SiteDetector.SiteTransition> sites) { }

  /**
   * This replica took the Lease; {@code recorded} is what the Nodes said then. Called once, before any replayed
   * transition, so sinks can continue what the previous leader started (a site incident, a paging series) instead
   * of starting it again.
   */
  default void takeover(Takeover recorded) { }

  /**
   * Every sink gets every transition, in order, grouped by site: a {@link SiteDetector} in front of them turns the
   * losses of most of a site into one site incident, once one of the sinks hands back the node-to-site map
   * ({@link Feedback#sites}, the Node writer does on each convergence pass). Without a map nothing is grouped.
   */
  static FleetSink all(List<FleetSink> sinks) {
    return all(sinks, new SiteDetector());
  }

  /** As {@link #all(List)}, with a site detector of its own settings. */
  static FleetSink all(List<FleetSink> sinks, SiteDetector sites) {
    return new SiteStage(fanOut(sinks), sites);
  }

  /** Every sink gets every transition, in order; nothing is grouped. */
  static FleetSink fanOut(List<FleetSink> sinks) {
    return new FleetSink() {
      @Override public void transitions(List<FailureDetector.Transition> t) {
        for (FleetSink s : sinks) s.transitions(t);
      }

      @Override public void ingestDegraded(boolean d, String reason) {
        for (FleetSink s : sinks) s.ingestDegraded(d, reason);
      }

      @Override public void accepted(Heartbeat h, Instant at) {
        for (FleetSink s : sinks) s.accepted(h, at);
      }

      @Override public void converge(Map<String, FailureDetector.Verdict> v, Feedback f) {
        for (FleetSink s : sinks) s.converge(v, f);
      }

      @Override public void sites(List<SiteDetector.SiteTransition> sites) {
        for (FleetSink s : sinks) s.sites(sites);
      }

      @Override public void takeover(Takeover recorded) {
        for (FleetSink s : sinks) s.takeover(recorded);
      }
    };
  }

  /** What a sink hands back to the detector; safe from any thread (it runs on the subscriber's). */
  interface Feedback {
    /** The node's Node object was deleted. */
    void forget(String node);

    /** Another writer marked the node healthy; watch it although it has not beaten yet. */
    void expect(String node);

    /** Which site each node is at (from the Nodes' site label); nodes without one are left out. */
    default void sites(Map<String, String> nodeToSite) { }
  }
}
