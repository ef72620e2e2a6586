package io.edgewave.operator.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what is sent and when. Pure: alerts and the clock go in, batches come out.
 *
 * <p>Batching: the first alert opens a window of {@code window}; everything that arrives before it closes goes
 * out as one message, so a site losing power (100 boxes in one minute) pages once, not 100 times. Damping: after
 * a node was paged as lost or offline, its further alerts are dropped for {@code damping}, so a box flapping
 * between online and lost pages at most once per interval. A "back online" is sent only for a node whose loss
 * was sent.
 */
public final class AlertBatcher {
  private final Duration window;
  private final Duration damping;
  private final List<Alert> pending = new ArrayList<>();
  private final Map<String, Instant> pagedAt = new HashMap<>();
  private Instant windowEnds;
  private long dropped;

  public AlertBatcher(Duration window, Duration damping) {
    this.window = window;
    this.damping = damping;
  }

  public void add(Alert a) {
    Instant paged = pagedAt.get(a.node());
    boolean damped = paged != null && a.at().isBefore(paged.plus(damping));
    if (a.kind() == Alert.Kind.BACK_ONLINE) {
      if (paged == null) return; // its loss was never sent: nothing to resolve
      if (damped) {
        dropped++;
        return;
      }
    } else if (damped) {
      dropped++;
      return;
    }
    if (a.kind() != Alert.Kind.BACK_ONLINE) pagedAt.put(a.node(), a.at());
    else pagedAt.remove(a.node());
    pending.add(a);
    if (windowEnds == null) windowEnds = a.at().plus(window);
  }

  /** The batch to send now, or an empty list while the window is open or nothing waits. */
  public List<Alert> due(Instant now) {
    if (windowEnds == null || now.isBefore(windowEnds)) return List.of();
    List<Alert> out = List.copyOf(pending);
    pending.clear();
    windowEnds = null;
    // damping entries older than the interval are of no more use; keep memory bounded by recent pages
    pagedAt.values().removeIf(t -> now.isAfter(t.plus(damping).plus(damping)));
    return out;
  }

  public Instant nextDue() { return windowEnds; }

  public long dropped() { return dropped; }
}
