package io.edgewave.operator.fleet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link NodeFacts} per node and whether heartbeat ingest is degraded, written by the heartbeat
 * subscriber and read by the reconciler. Facts never go to the Kubernetes API; after an operator restart they are
 * back within one heartbeat interval.
 */
public final class FleetFacts {
  private final Map<String, NodeFacts> facts = new ConcurrentHashMap<>();
  private volatile String ingestDegraded;
  private volatile boolean watched;

  /** Whether heartbeats are watched at all (a broker is configured and a subscriber runs). */
  public boolean watched() { return watched; }

  public void watched(boolean on) { this.watched = on; }

  public void put(String node, NodeFacts f) { facts.put(node, f); }

  public Map<String, NodeFacts> view() { return java.util.Collections.unmodifiableMap(facts); }

  /** Why heartbeat ingest is degraded (node health may be stale), or null when it is not. */
  public String ingestDegraded() { return ingestDegraded; }

  public void ingestDegraded(String reason) { this.ingestDegraded = reason; }

  private volatile java.time.Instant since;

  /**
   * When heartbeats began to arrive in this process (the subscriber's first connection, or a new leader's): until
   * then plus a grace, missing facts are not evidence of anything. Null when not recorded.
   */
  public java.time.Instant since() { return since; }

  /** What a new process knows: nothing (tests use it to play an operator restart). */
  public void forgetAll() {
    facts.clear();
    since = null;
  }

  /** Heartbeats (re)start arriving at {@code at}: the subscriber's (re)connection, a new leader's start. */
  public void listening(java.time.Instant at) {
    since = at;
  }
}
