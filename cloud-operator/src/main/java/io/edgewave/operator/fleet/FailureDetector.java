package io.edgewave.operator.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns heartbeats and their absence into node states. A node is Lost after T = (k+1)*h + J without a heartbeat,
 * where h is the interval the node itself advertises; Offline at once on its retained "offline" status; Online on
 * its next heartbeat. Only transitions come out; heartbeats that change nothing produce nothing.
 *
 * <p>Mass-silence guard: silence that is the operator's or the broker's fault must not look like a dead fleet. No
 * node is declared Lost while the broker connection is down, during one full T after the operator starts (T plus a
 * reconnect grace, for the probes to reconnect too, after the connection comes back), or while more than
 * {@code massSilenceShare} of the nodes (and at least
 * {@code massSilenceMinNodes}) are silent at once; {@link #degraded()} says so instead.
 *
 * <p>Time is passed in; no I/O; one thread at a time (the subscriber's). Memory is a few fields per node.
 */
public final class FailureDetector {
  public enum State { ONLINE, LOST, OFFLINE }

  /**
   * @param reconnectGrace extra quiet time after the broker connection comes back, for the probes to reconnect
   *     too: they back off up to 60 s by default, and a probe still backing off is not a lost box
   */
  public record Settings(Duration defaultInterval, int k, Duration jitter, double massSilenceShare,
      int massSilenceMinNodes, Duration reconnectGrace) {
    public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), 2, Duration.ofSeconds(2), 0.2, 10);

    /** With a reconnect grace of 6 h: 60 s at the default h, the probes' default backoff ceiling. */
    public Settings(Duration defaultInterval, int k, Duration jitter, double massSilenceShare, int massSilenceMinNodes) {
      this(defaultInterval, k, jitter, massSilenceShare, massSilenceMinNodes, defaultInterval.multipliedBy(6));
    }

    /** The silence after which a node with heartbeat interval h is lost. */
    public Duration tolerance(Duration h) {
      return h.multipliedBy(k + 1L).plus(jitter);
    }
  }

  /**
   * A change of state. {@code silence} is how long the node had been silent (for Lost: the detection latency
   * measured from its last heartbeat); {@code rebooted} is set when a heartbeat carries a new boot id.
   */
  public record Transition(String node, State from, State to, Instant at, Instant lastSeen, Duration silence,
      boolean rebooted) {}

  private static final class Node {
    State state = State.ONLINE;
    long lastSeenMs;
    long intervalMs;
    String bootId;
    boolean vanished;
  }

  private final Settings settings;
  private final Map<String, Node> nodes = new HashMap<>();
  private long quietUntilMs;
  private boolean brokerUp;
  private boolean everConnected;
  private boolean degraded;
  private String degradedReason = "";

  public FailureDetector(Settings settings, Instant start) {
    this.settings = settings;
    this.quietUntilMs = start.toEpochMilli() + settings.tolerance(settings.defaultInterval()).toMillis();
  }

  public List<Transition> onHeartbeat(String node, String bootId, long intervalMs, Instant now) {
    Node n = nodes.get(node);
    long t = now.toEpochMilli();
    if (n == null) {
      n = new Node();
      nodes.put(node, n);
      n.lastSeenMs = t;
      n.intervalMs = intervalMs;
      n.bootId = bootId;
      return List.of();
    }
    boolean rebooted = bootId != null && n.bootId != null && !bootId.equals(n.bootId);
    Instant last = Instant.ofEpochMilli(n.lastSeenMs);
    n.lastSeenMs = Math.max(n.lastSeenMs, t);
    n.intervalMs = intervalMs;
    n.vanished = false;
    if (bootId != null) n.bootId = bootId;
    if (n.state == State.ONLINE) return List.of();
    State from = n.state;
    n.state = State.ONLINE;
    return List.of(new Transition(node, from, State.ONLINE, now, last, Duration.between(last, now), rebooted));
  }

  /** What a node's retained status topic said. */
  public enum Status { ONLINE, SHUTDOWN, WILL }

  /**
   * A goodbye ("offline", cause shutdown) is Offline at once. The broker's last will (the connection died without
   * one) counts as silence from now on, so the node is declared Lost at the next tick, under the same guard as any
   * silence: a broker-side partition that fires thousands of wills does not page for a whole fleet.
   */
  public List<Transition> onStatus(String node, Status status, Instant now) {
    Node n = nodes.get(node);
    if (n == null) {
      if (status == Status.ONLINE) return List.of();
      // a retained status of a node we never heard from: the will is still news (it is lost now), a goodbye is not
      n = new Node();
      n.state = status == Status.SHUTDOWN ? State.OFFLINE : State.ONLINE;
      n.lastSeenMs = now.toEpochMilli();
      n.intervalMs = settings.defaultInterval().toMillis();
      n.vanished = status == Status.WILL;
      nodes.put(node, n);
      return List.of();
    }
    switch (status) {
      case ONLINE -> n.vanished = false;
      case WILL -> n.vanished = n.state == State.ONLINE;
      case SHUTDOWN -> {
        n.vanished = false;
        if (n.state == State.OFFLINE) return List.of();
        State from = n.state;
        n.state = State.OFFLINE;
        Instant last = Instant.ofEpochMilli(n.lastSeenMs);
        return List.of(new Transition(node, from, State.OFFLINE, now, last, Duration.between(last, now), false));
      }
    }
    return List.of();
  }

  /** The subscriber's connection to the broker went down or came back. */
  public void brokerConnection(boolean up, Instant now) {
    if (up && !brokerUp) {
      // silence during the outage is ours, not the nodes': give every node one full T from now
      long t = now.toEpochMilli();
      // the first connection finds the probes connected already; after a loss they have to reconnect as well
      long grace = everConnected ? settings.reconnectGrace().toMillis() : 0;
      everConnected = true;
      quietUntilMs = Math.max(quietUntilMs, t + settings.tolerance(settings.defaultInterval()).toMillis() + grace);
      for (Node n : nodes.values()) {
        n.lastSeenMs = Math.max(n.lastSeenMs, t);
        n.vanished = false; // wills fired while we were away say nothing a heartbeat will not say better
      }
    }
    brokerUp = up;
  }

  /** Declares Lost the nodes silent for longer than their T, unless the guard holds. */
  public List<Transition> tick(Instant now) {
    long t = now.toEpochMilli();
    List<String> silent = new ArrayList<>();
    int watched = 0;
    for (var e : nodes.entrySet()) {
      Node n = e.getValue();
      if (n.state == State.OFFLINE) continue;
      watched++;
      long tolerance = settings.tolerance(Duration.ofMillis(n.intervalMs)).toMillis();
      if (n.vanished || t - n.lastSeenMs > tolerance) silent.add(e.getKey());
    }
    if (!brokerUp) return degrade("broker connection down");
    if (t < quietUntilMs) {
      degraded = false;
      return List.of();
    }
    if (silent.size() >= settings.massSilenceMinNodes() && silent.size() > settings.massSilenceShare() * watched) {
      return degrade(silent.size() + " of " + watched + " nodes silent at once");
    }
    degraded = false;
    List<Transition> out = new ArrayList<>();
    for (String name : silent) {
      Node n = nodes.get(name);
      if (n.state != State.ONLINE) continue;
      n.state = State.LOST;
      n.vanished = false;
      Instant last = Instant.ofEpochMilli(n.lastSeenMs);
      out.add(new Transition(name, State.ONLINE, State.LOST, now, last, Duration.between(last, now), false));
    }
    return out;
  }

  private List<Transition> degrade(String reason) {
    degraded = true;
    degradedReason = reason;
    return List.of();
  }

  public boolean degraded() { return degraded; }

  public String degradedReason() { return degraded ? degradedReason : ""; }

  public State state(String node) {
    Node n = nodes.get(node);
    return n == null ? null : n.state;
  }

  /** Nodes by state: what the fleet gauge shows. */
  public Map<State, Integer> counts() {
    Map<State, Integer> out = new HashMap<>();
    for (State s : State.values()) out.put(s, 0);
    for (Node n : nodes.values()) out.merge(n.state, 1, Integer::sum);
    return out;
  }

  public int size() { return nodes.size(); }
}
