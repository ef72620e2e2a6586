package io.edgewave.operator.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns heartbeats and their absence into node states. A node is Lost after T = (k+1)*h + J without a heartbeat,
 * where h is the interval the node itself advertises; Offline at once on its retained "offline" status; Online on
 * its next heartbeat. Only transitions come out; heartbeats that change nothing produce nothing.
 *
 * <p>Mass-silence guard: silence that is the operator's or the broker's fault must not look like a dead fleet. No
 * node is declared Lost while the broker connection is down, during one full T after the operator starts (T plus a
 * reconnect grace, for the probes to reconnect too, after the connection comes back), or while more than
 * {@code massSilenceShare} of the online nodes (and at least {@code massSilenceMinNodes}) went silent within the
 * last {@code massSilenceWindow}; {@link #degraded()} says so instead. Only recent silence counts: nodes already
 * Lost, and nodes silent for longer than the window, say nothing about an outage happening now (ten retired
 * boxes must not hold every rollout for good), so a mass silence holds verdicts for at most one window. A gap of
 * more than one T between ticks is the detector's own outage and is treated like the start.
 *
 * <p>Silence is measured on a monotonic clock ({@code mono}, nanoseconds, e.g. {@code System.nanoTime()}), so a
 * wall-clock step (NTP) neither flags a fleet Lost nor freezes detection; wall-clock Instants are only carried for
 * display. The {@code Instant}-only overloads use the Instant as both clocks, for simulations whose time never
 * steps; a caller uses one family or the other, never both.
 *
 * <p>Time is passed in; no I/O; one thread at a time (the subscriber's). Memory is a few fields per node.
 */
public final class FailureDetector {
  public enum State { ONLINE, LOST, OFFLINE }

  /**
   * How long a will waits before it counts: longer than a broker's own shutdown takes to reach us, and than a probe
   * that was frozen (its old connection's will fires as it thaws) takes to reconnect and beat again.
   */
  static final long WILL_GRACE = Duration.ofMillis(1500).toNanos();

  /**
   * @param reconnectGrace extra quiet time after the broker connection comes back, for the probes to reconnect
   *     too: they back off up to 60 s by default, and a probe still backing off is not a lost box
   * @param massSilenceWindow how recently a node must have gone silent to count towards a mass silence
   */
  public record Settings(Duration defaultInterval, int k, Duration jitter, double massSilenceShare,
      int massSilenceMinNodes, Duration reconnectGrace, Duration massSilenceWindow) {
    public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), 2, Duration.ofSeconds(2), 0.2, 10);

    /** With a reconnect grace of six heartbeat intervals: 60 s at the default h, the probes' default backoff ceiling. */
    public Settings(Duration defaultInterval, int k, Duration jitter, double massSilenceShare, int massSilenceMinNodes) {
      this(defaultInterval, k, jitter, massSilenceShare, massSilenceMinNodes, defaultInterval.multipliedBy(6));
    }

    /** With a mass-silence window of one T at the default h. */
    public Settings(Duration defaultInterval, int k, Duration jitter, double massSilenceShare, int massSilenceMinNodes,
        Duration reconnectGrace) {
      this(defaultInterval, k, jitter, massSilenceShare, massSilenceMinNodes, reconnectGrace,
          defaultInterval.multipliedBy(k + 1L).plus(jitter));
    }

    /** The silence after which a node with heartbeat interval h is lost. */
    public Duration tolerance(Duration h) {
      return h.multipliedBy(k + 1L).plus(jitter);
    }
  }

  /**
   * What was seen when a node changed state, in the words an operator acts on. {@link #CONNECTION_DROPPED}: the
   * broker published the node's will, so its MQTT connection died without a goodbye (power, network or the probe
   * process). {@link #SILENT}: no heartbeat for T while the connection stayed open, as far as the broker knows (a
   * hung box, or a cable cut that the broker's keepalive has not noticed yet). {@link #PROBE_STOPPED}: the probe
   * said goodbye. {@link #SITE_UNREACHABLE}: most of the node's site went silent together (set by
   * {@link SiteDetector}, never by this class). {@link #HEARTBEAT}: a heartbeat arrived (back online).
   */
  public enum Cause { HEARTBEAT, CONNECTION_DROPPED, SILENT, PROBE_STOPPED, SITE_UNREACHABLE }

  /**
   * A change of state. {@code silence} is how long the node had been silent (for Lost: the detection latency
   * measured from its last heartbeat); {@code rebooted} is set when a heartbeat carries a new boot id.
   */
  public record Transition(String node, State from, State to, Instant at, Instant lastSeen, Duration silence,
      boolean rebooted, Cause cause) {
    /** With the cause a state implies when nothing more is known: silence for Lost, a goodbye for Offline. */
    public Transition(String node, State from, State to, Instant at, Instant lastSeen, Duration silence,
        boolean rebooted) {
      this(node, from, to, at, lastSeen, silence, rebooted, implied(to));
    }

    public Transition because(Cause c) {
      return new Transition(node, from, to, at, lastSeen, silence, rebooted, c);
    }
  }

  static Cause implied(State to) {
    return switch (to) {
      case ONLINE -> Cause.HEARTBEAT;
      case LOST -> Cause.SILENT;
      case OFFLINE -> Cause.PROBE_STOPPED;
    };
  }

  /**
   * What the detector knows of one node, for reconciling state kept elsewhere (the Node condition).
   *
   * @param heard a heartbeat arrived since the detector started; without one, ONLINE is only a presumption
   * @param silent silent for longer than its T (or its will fired), whatever the guard decided
   * @param lastSeen wall-clock time of its last heartbeat, for display
   * @param cause what made it Lost or Offline ({@link Cause#HEARTBEAT} while online)
   */
  public record Verdict(State state, boolean heard, boolean silent, Instant lastSeen, Cause cause) {
    public Verdict(State state, boolean heard, boolean silent, Instant lastSeen) {
      this(state, heard, silent, lastSeen, implied(state));
    }
  }

  private static final class Node {
    State state = State.ONLINE;
    long lastSeen;
    Instant lastSeenWall;
    long intervalMs;
    String bootId;
    boolean vanished;
    long vanishedAt;
    boolean heard;
    Cause cause = Cause.HEARTBEAT;
  }

  private final Settings settings;
  private final Map<String, Node> nodes = new HashMap<>();
  private long quietUntil;
  private long lastTick;
  private boolean brokerUp;
  private boolean everConnected;
  private boolean degraded;
  private String degradedReason = "";

  /** @param startMono the monotonic clock (nanoseconds) when the detector starts */
  public FailureDetector(Settings settings, long startMono) {
    this.settings = settings;
    this.quietUntil = startMono + settings.tolerance(settings.defaultInterval()).toNanos();
    this.lastTick = startMono;
  }

  public FailureDetector(Settings settings, Instant start) {
    this(settings, mono(start));
  }

  /** An Instant as a monotonic reading, for simulations: nanoseconds since the epoch fit a long until 2262. */
  static long mono(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static boolean after(long a, long b) { return a - b > 0; }

  private static long later(long a, long b) { return after(a, b) ? a : b; }

  public List<Transition> onHeartbeat(String node, String bootId, long intervalMs, Instant now) {
    return onHeartbeat(node, bootId, intervalMs, mono(now), now);
  }

  public List<Transition> onHeartbeat(String node, String bootId, long intervalMs, long mono, Instant wall) {
    Node n = nodes.get(node);
    if (n == null) {
      n = new Node();
      nodes.put(node, n);
      n.lastSeen = mono;
      n.lastSeenWall = wall;
      n.intervalMs = intervalMs;
      n.bootId = bootId;
      n.heard = true;
      return List.of();
    }
    boolean rebooted = bootId != null && n.bootId != null && !bootId.equals(n.bootId);
    Instant last = n.lastSeenWall;
    Duration silence = Duration.ofNanos(Math.max(0, mono - n.lastSeen));
    if (!after(n.lastSeen, mono)) n.lastSeenWall = wall;
    n.lastSeen = later(n.lastSeen, mono);
    n.intervalMs = intervalMs;
    n.vanished = false;
    n.heard = true;
    if (bootId != null) n.bootId = bootId;
    if (n.state == State.ONLINE) return List.of();
    State from = n.state;
    n.state = State.ONLINE;
    n.cause = Cause.HEARTBEAT;
    return List.of(new Transition(node, from, State.ONLINE, wall, last, silence, rebooted, Cause.HEARTBEAT));
  }

  /** What a node's retained status topic said. */
  public enum Status { ONLINE, SHUTDOWN, WILL }

  public List<Transition> onStatus(String node, Status status, Instant now) {
    return onStatus(node, status, mono(now), now);
  }

  /**
   * A goodbye ("offline", cause shutdown) is Offline at once. The broker's last will (the connection died without
   * one) counts as silence from now on, so the node is declared Lost at the next tick, under the same guard as any
   * silence: a broker-side partition that fires thousands of wills does not page for a whole fleet.
   */
  public List<Transition> onStatus(String node, Status status, long mono, Instant wall) {
    Node n = nodes.get(node);
    if (n == null) {
      if (status == Status.ONLINE) return List.of();
      // a retained status of a node we never heard from: the will is still news (it is lost now), a goodbye is not
      n = new Node();
      n.state = status == Status.SHUTDOWN ? State.OFFLINE : State.ONLINE;
      n.cause = status == Status.SHUTDOWN ? Cause.PROBE_STOPPED : Cause.HEARTBEAT;
      n.lastSeen = mono;
      n.lastSeenWall = wall;
      n.intervalMs = settings.defaultInterval().toMillis();
      n.vanished = status == Status.WILL;
      n.vanishedAt = mono;
      nodes.put(node, n);
      return List.of();
    }
    switch (status) {
      case ONLINE -> n.vanished = false;
      case WILL -> {
        if (n.state == State.ONLINE && !n.vanished) n.vanishedAt = mono;
        n.vanished = n.state == State.ONLINE;
      }
      case SHUTDOWN -> {
        n.vanished = false;
        if (n.state == State.OFFLINE) return List.of();
        State from = n.state;
        n.state = State.OFFLINE;
        n.cause = Cause.PROBE_STOPPED;
        return List.of(new Transition(node, from, State.OFFLINE, wall, n.lastSeenWall,
            Duration.ofNanos(Math.max(0, mono - n.lastSeen)), false, Cause.PROBE_STOPPED));
      }
    }
    return List.of();
  }

  public void brokerConnection(boolean up, Instant now) {
    brokerConnection(up, mono(now));
  }

  /** The subscriber's connection to the broker went down or came back. */
  public void brokerConnection(boolean up, long mono) {
    if (up && !brokerUp) {
      // silence during the outage is ours, not the nodes': give every node one full T from now
      // the first connection finds the probes connected already; after a loss they have to reconnect as well
      long grace = everConnected ? settings.reconnectGrace().toNanos() : 0;
      everConnected = true;
      quietUntil = later(quietUntil, mono + settings.tolerance(settings.defaultInterval()).toNanos() + grace);
      for (Node n : nodes.values()) {
        n.lastSeen = later(n.lastSeen, mono);
        n.vanished = false; // wills fired while we were away say nothing a heartbeat will not say better
      }
    }
    brokerUp = up;
  }

  /**
   * Watch a node the detector has not heard from, as if it had beaten now: a Node another leader marked healthy
   * is held to that, and declared Lost after T of silence (under the guard) instead of staying healthy for good.
   * A node the detector knows already is left as it is.
   */
  public void expect(String node, long mono, Instant wall) {
    if (nodes.containsKey(node)) return;
    Node n = new Node();
    n.lastSeen = mono;
    n.lastSeenWall = wall;
    n.intervalMs = settings.defaultInterval().toMillis();
    nodes.put(node, n);
  }

  /** Drops a node whose Node object was deleted; if its probe still beats, the next heartbeat brings it back. */
  public boolean forget(String node) {
    return nodes.remove(node) != null;
  }

  public List<Transition> tick(Instant now) {
    return tick(mono(now), now);
  }

  /** Declares Lost the nodes silent for longer than their T, unless the guard holds. */
  public List<Transition> tick(long mono, Instant wall) {
    long t = settings.tolerance(settings.defaultInterval()).toNanos();
    if (after(mono - lastTick, t)) {
      // the detector itself stood still (process paused, thread starved) with heartbeats waiting unread: that
      // silence is ours, like a broker outage; the probes stayed connected, so no reconnect grace
      quietUntil = later(quietUntil, mono + t);
    }
    lastTick = later(lastTick, mono);
    List<String> silent = new ArrayList<>();
    int watched = 0;
    int recent = 0;
    long window = settings.massSilenceWindow().toNanos();
    for (var e : nodes.entrySet()) {
      Node n = e.getValue();
      // nodes already Lost or Offline were judged: they are not part of whatever is happening now
      if (n.state != State.ONLINE) continue;
      watched++;
      long tolerance = settings.tolerance(Duration.ofMillis(n.intervalMs)).toNanos();
      // a will counts after WILL_GRACE: a broker that is shutting down can deliver wills a moment before our own
      // connection drops, and that drop (brokerConnection down) withdraws them
      boolean willStands = n.vanished && !after(n.vanishedAt + WILL_GRACE, mono);
      if (!willStands && !after(mono - n.lastSeen, tolerance)) continue;
      silent.add(e.getKey());
      // silence starts counting once it could be judged: not before the quiet period ends
      long silentFrom = later(willStands ? n.vanishedAt : n.lastSeen + tolerance, quietUntil);
      if (!after(mono - silentFrom, window)) recent++;
    }
    if (!brokerUp) return degrade("broker connection down");
    if (after(quietUntil, mono)) {
      degraded = false;
      return List.of();
    }
    if (recent >= settings.massSilenceMinNodes() && recent > settings.massSilenceShare() * watched) {
      return degrade(recent + " of " + watched + " nodes silent at once");
    }
    degraded = false;
    List<Transition> out = new ArrayList<>();
    for (String name : silent) {
      Node n = nodes.get(name);
      n.state = State.LOST;
      // the will says the connection died; without it the broker still held the connection open
      n.cause = n.vanished ? Cause.CONNECTION_DROPPED : Cause.SILENT;
      n.vanished = false;
      out.add(new Transition(name, State.ONLINE, State.LOST, wall, n.lastSeenWall,
          Duration.ofNanos(mono - n.lastSeen), false, n.cause));
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

  /** Every node the detector knows, by name, as of {@code mono}. */
  public Map<String, Verdict> verdicts(long mono) {
    Map<String, Verdict> out = new TreeMap<>();
    for (var e : nodes.entrySet()) {
      Node n = e.getValue();
      long tolerance = settings.tolerance(Duration.ofMillis(n.intervalMs)).toNanos();
      boolean silent = n.vanished || after(mono - n.lastSeen, tolerance);
      out.put(e.getKey(), new Verdict(n.state, n.heard, silent, n.lastSeenWall, n.cause));
    }
    return out;
  }

  public Map<String, Verdict> verdicts(Instant now) {
    return verdicts(mono(now));
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
