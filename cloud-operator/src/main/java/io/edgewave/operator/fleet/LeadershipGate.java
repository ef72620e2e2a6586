package io.edgewave.operator.fleet;

import io.edgewave.protocol.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets a standby replica keep its detector warm while writing nothing: the sinks behind the gate (the Node
 * condition writer, the alerts) hear nothing until this replica leads. What the standby's detector concluded
 * meanwhile is not lost: each node's latest Lost or Offline transition of the last {@code replayWindow} is handed to
 * the sinks when leadership comes, since the old leader may have died before it saw it (a box frozen a few seconds
 * before the leader was killed). The window is the Lease duration plus one T: older news the old leader had time to
 * deliver itself. Back-online news is not replayed; the first convergence pass after the takeover sets every Node
 * condition right anyway.
 *
 * <p>What the Nodes recorded comes first ({@link Takeover}, read once at the takeover): the sinks learn the site map
 * and the incidents in progress before any replay, so a replayed loss of a site's box joins its site instead of paging
 * alone; and a loss the old leader already wrote on the Node (so paged), or of a Node since deleted, is not replayed.
 *
 * <p>Pure: time comes with the transitions and with {@link #lead}; one lock, as transitions arrive on the heartbeat
 * thread and leadership on the leader-election one. Memory: one transition per node at most.
 */
public final class LeadershipGate implements FleetSink {
  private final FleetSink sinks;
  private final Duration replayWindow;
  private final Map<String, FailureDetector.Transition> pending = new LinkedHashMap<>();
  private boolean leading;

  public LeadershipGate(FleetSink sinks, Duration replayWindow) {
    this.sinks = sinks;
    this.replayWindow = replayWindow;
  }

  /**
   * This replica leads from {@code now}: the sinks hear the standby's recent losses, then everything as it comes.
   *
   * @return how many transitions were replayed
   */
  public synchronized int lead(Instant now) {
    return lead(now, null);
  }

  /**
   * As {@link #lead(Instant)}, with what the Nodes recorded; null when they could not be read (then every recent
   * loss is replayed, ungrouped until the first convergence pass brings the site map).
   */
  public synchronized int lead(Instant now, Takeover recorded) {
    if (leading) return 0;
    leading = true;
    if (recorded != null) sinks.takeover(recorded);
    List<FailureDetector.Transition> replay = new ArrayList<>();
    for (FailureDetector.Transition t : pending.values()) {
      if (t.to() != FailureDetector.State.ONLINE && !t.at().isBefore(now.minus(replayWindow))
          && (recorded == null || recorded.news(t))) {
        replay.add(t);
      }
    }
    pending.clear();
    replay.sort(Comparator.comparing(FailureDetector.Transition::at));
    if (!replay.isEmpty()) sinks.transitions(replay);
    return replay.size();
  }

  public synchronized boolean leading() {
    return leading;
  }

  @Override
  public synchronized void transitions(List<FailureDetector.Transition> transitions) {
    if (leading) {
      sinks.transitions(transitions);
      return;
    }
    for (FailureDetector.Transition t : transitions) {
      pending.remove(t.node()); // re-inserted last: the map stays in arrival order
      pending.put(t.node(), t);
    }
  }

  @Override
  public synchronized void ingestDegraded(boolean degraded, String reason) {
    if (leading) sinks.ingestDegraded(degraded, reason);
  }

  @Override
  public synchronized void accepted(Heartbeat heartbeat, Instant at) {
    if (leading) sinks.accepted(heartbeat, at);
  }

  @Override
  public synchronized void converge(Map<String, FailureDetector.Verdict> verdicts, Feedback feedback) {
    if (leading) sinks.converge(verdicts, feedback);
  }

  /** Transitions held for a takeover; bounded by the number of nodes. */
  public synchronized int pending() {
    return pending.size();
  }
}
