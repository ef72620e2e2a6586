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
 * a node was paged as lost or offline, its further losses are dropped for {@code damping}, so a box flapping
 * between online and lost pages at most once per interval. A "back online" is sent only for a node whose loss
 * was sent; one that comes within the damping interval is held, not dropped, and sent when the interval ends unless
 * the node was lost again meanwhile (then the page stands): whoever was paged always hears the last word.
 *
 * <p>A new leader continues its predecessor's pages ({@link #adopt}): what the Nodes record as paged gets its
 * "back", and damping counts from the recorded time.
 *
 * <p>Sites: a site unreachable replaces the losses of its nodes still waiting in the window (one page for the site,
 * listing its nodes, and no "back online" for them later); a later, longer list of the same site replaces the
 * pending one, or is dropped once the site was paged. "Site back" is sent once for a site whose page was sent,
 * whatever the damping: a site's return is what ops wait for. A site that goes again within the damping interval of
 * its last page (a flapping uplink, or the burst of reconnects as a frozen site thaws) is not paged again, nor is
 * its next return.
 */
public final class AlertBatcher {
  private final Duration window;
  private final Duration damping;
  private final List<Alert> pending = new ArrayList<>();
  private final Map<String, Instant> pagedAt = new HashMap<>();
  /** Sites paged unreachable and not yet back. */
  private final java.util.Set<String> openSites = new java.util.HashSet<>();
  /** "Back online" alerts held until their node's damping interval ends. */
  private final Map<String, Alert> heldBack = new HashMap<>();
  private Instant windowEnds;
  private long dropped;

  public AlertBatcher(Duration window, Duration damping) {
    this.window = window;
    this.damping = damping;
  }

  public void add(Alert a) {
    if (a.kind().site()) {
      addSite(a);
      return;
    }
    Instant paged = pagedAt.get(a.key());
    boolean damped = paged != null && a.at().isBefore(paged.plus(damping));
    if (a.kind() == Alert.Kind.BACK_ONLINE) {
      if (paged == null) return; // its loss was never sent: nothing to resolve
      if (damped) {
        heldBack.put(a.key(), a);
        return;
      }
    } else {
      if (heldBack.remove(a.key()) != null) dropped++; // lost again: the page stands, its held back goes
      if (damped) {
        dropped++;
        return;
      }
    }
    if (a.kind() != Alert.Kind.BACK_ONLINE) pagedAt.put(a.key(), a.at());
    else pagedAt.remove(a.key());
    queue(a);
  }

  private void queue(Alert a) {
    pending.add(a);
    if (windowEnds == null) windowEnds = a.at().plus(window);
  }

  private void addSite(Alert a) {
    if (a.kind() == Alert.Kind.SITE_BACK) {
      if (!openSites.remove(a.key())) return; // not paged: nothing to resolve
      queue(a);
      return;
    }
    // the site's page stands for its nodes: their own losses still in the window go, and with them their "back"
    pending.removeIf(p -> p.kind() != Alert.Kind.BACK_ONLINE && !p.kind().site() && a.nodes().contains(p.node())
        && pagedAt.remove(p.node()) != null);
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).kind() == Alert.Kind.SITE_UNREACHABLE && pending.get(i).key().equals(a.key())) {
        pending.set(i, new Alert(a.node(), a.kind(), pending.get(i).at(), a.silence(), null, a.cause(), a.nodes()));
        return;
      }
    }
    Instant paged = pagedAt.get(a.key());
    if (openSites.contains(a.key()) || (paged != null && a.at().isBefore(paged.plus(damping)))) {
      dropped++;
      return;
    }
    pagedAt.put(a.key(), a.at());
    openSites.add(a.key());
    queue(a);
  }

  /**
   * A page a previous leader sent, as recorded on the Node ({@code site}: a site incident): its "back" will be sent,
   * and damping counts from {@code pagedAt}.
   */
  public void adopt(String node, Instant pagedAt, boolean site) {
    String key = site ? "site:" + node : node;
    this.pagedAt.putIfAbsent(key, pagedAt == null ? Instant.EPOCH : pagedAt);
    if (site) openSites.add(key);
  }

  /** The batch to send now, or an empty list while the window is open or nothing waits. */
  public List<Alert> due(Instant now) {
    for (var it = heldBack.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Instant paged = pagedAt.get(e.getKey());
      if (paged == null || !now.isBefore(paged.plus(damping))) {
        it.remove();
        pagedAt.remove(e.getKey());
        queue(e.getValue());
        if (windowEnds.isBefore(now)) windowEnds = now;
      }
    }
    if (windowEnds == null || now.isBefore(windowEnds)) return List.of();
    List<Alert> out = List.copyOf(pending);
    pending.clear();
    windowEnds = null;
    // damping entries older than the interval are of no more use; keep memory bounded by recent pages
    pagedAt.entrySet().removeIf(e -> !openSites.contains(e.getKey()) && !heldBack.containsKey(e.getKey())
        && now.isAfter(e.getValue().plus(damping).plus(damping)));
    return out;
  }

  public Instant nextDue() { return windowEnds; }

  public long dropped() { return dropped; }
}
