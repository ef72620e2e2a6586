package io.edgewave.operator.notice;

import io.edgewave.operator.api.v1alpha1.Condition;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.FailureSample;
import io.edgewave.operator.api.v1alpha1.Notice;
import io.edgewave.operator.api.v1alpha1.NoticeCursor;
import io.edgewave.operator.api.v1alpha1.Notices;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The release notification outbox, pure. Events are derived by comparing the status before a write with the status
 * the write makes ({@link #between}), so an event exists exactly when the write that makes it true succeeds:
 * {@link #record} puts them, numbered, into that same status. Delivery moves a per-destination cursor: {@link #claim}
 * before posting, {@link #acknowledge} after a 2xx. Nothing here does I/O or reads a clock.
 */
public final class ReleaseNotices {
  /** Details (failure reasons, condition messages) are cut to this many characters: status stays small. */
  static final int MAX_DETAIL = 300;
  /** Failure samples quoted in a halt or rollback. */
  static final int REASONS = 3;
  /** A hold the operator cannot clear by itself: the Progressing reason, or a condition that turned True. */
  static final Set<String> STUCK_HOLDS = Set.of("NoCanarySignal");
  static final Set<String> STUCK_CONDITIONS = Set.of(Condition.WRITE_REJECTED, Condition.ROLLBACK_INCOMPLETE);

  private ReleaseNotices() {}

  /** One event as derived, before it is numbered. */
  public record Event(NoticeKind kind, String wave, String detail) {}

  /** The events that happened between {@code before} (null for a new release) and {@code after}, in order. */
  public static List<Event> between(EdgeReleaseStatus before, EdgeReleaseStatus after) {
    List<Event> out = new ArrayList<>();
    if (after == null) return out;
    Phase was = effective(before);
    Phase is = after.getPhase();
    boolean newRollout = after.getRollout() != null
        && !after.getRollout().equals(before == null ? null : before.getRollout());
    if (newRollout) {
      out.add(new Event(NoticeKind.ROLLOUT_STARTED, null, "revision " + after.getRevision()
          + (after.getTotals() == null ? "" : " to " + after.getTotals().getTargets() + " nodes in "
          + after.getWaves().size() + " waves")));
    }
    if (was == Phase.Paused && is != Phase.Paused && is != Phase.Invalid) {
      out.add(new Event(NoticeKind.RESUMED, null, null));
    }
    Map<String, WaveStatus> old = new HashMap<>();
    if (!newRollout && before != null && before.getWaves() != null) {
      for (WaveStatus w : before.getWaves()) old.put(w.getName(), w);
    }
    List<WaveStatus> waves = after.getWaves() == null ? List.of() : after.getWaves();
    for (int i = 0; i < waves.size(); i++) {
      WaveStatus w = waves.get(i);
      WaveStatus o = old.get(w.getName());
      String name = (i + 1) + "/" + waves.size() + " " + w.getName();
      if (w.getStartedAt() != null && (o == null || o.getStartedAt() == null)) {
        out.add(new Event(NoticeKind.WAVE_STARTED, w.getName(), name + ": " + w.getTargets() + " nodes"));
      }
      if (w.getCompletedAt() != null && (o == null || o.getCompletedAt() == null)) {
        out.add(new Event(NoticeKind.WAVE_COMPLETED, w.getName(), name + ": " + w.getReady() + " ready, "
            + w.getFailed() + " failed"));
      }
    }
    boolean phaseChanged = was != is || newRollout;
    if (before != null && before.getPhase() == Phase.Invalid && is == Phase.Invalid && !newRollout) {
      // still invalid: news only when the spec is invalid in another way (every reconcile sees the same typo)
      phaseChanged = !Objects.equals(before.getMessage(), after.getMessage());
    }
    if (phaseChanged) {
      switch (is) {
        case AwaitingApproval -> {
          String wave = awaitedWave(after);
          out.add(new Event(NoticeKind.AWAITING_APPROVAL, wave, after.getMessage()));
        }
        case Paused -> out.add(new Event(NoticeKind.PAUSED, null, after.getMessage()));
        case Halted -> out.add(new Event(NoticeKind.HALTED, null, failureDetail(after)));
        case RollingBack -> out.add(new Event(NoticeKind.ROLLING_BACK, null, failureDetail(after)));
        case RolledBack -> out.add(new Event(NoticeKind.ROLLED_BACK, null, failureDetail(after)));
        case Succeeded -> out.add(new Event(NoticeKind.SUCCEEDED, null, after.getTotals() == null ? null
            : after.getTotals().getReady() + " of " + after.getTotals().getTargets() + " nodes ready"));
        case Invalid -> out.add(new Event(NoticeKind.STUCK, null, cut("the spec is invalid: " + after.getMessage())));
        default -> { }
      }
    } else if (is == Phase.AwaitingApproval && !Objects.equals(awaitedWave(before), awaitedWave(after))) {
      out.add(new Event(NoticeKind.AWAITING_APPROVAL, awaitedWave(after), after.getMessage()));
    }
    String hold = stuckHold(after);
    // keyed on the condition's type and reason: its message carries counts that change while it holds
    if (hold != null && !Objects.equals(stuckKey(after), stuckKey(before))) {
      out.add(new Event(NoticeKind.STUCK, null, cut(hold)));
    }
    return out;
  }

  /** While Invalid, the phase the typo interrupted: a fix that returns to it is no new event. */
  private static Phase effective(EdgeReleaseStatus s) {
    if (s == null) return null;
    return s.getPhase() == Phase.Invalid && s.getPhaseBeforeInvalid() != null ? s.getPhaseBeforeInvalid() : s.getPhase();
  }

  static String awaitedWave(EdgeReleaseStatus s) {
    if (s == null || s.getPhase() != Phase.AwaitingApproval || s.getCurrentWave() == null || s.getWaves() == null
        || s.getCurrentWave() < 1 || s.getCurrentWave() > s.getWaves().size()) return null;
    return s.getWaves().get(s.getCurrentWave() - 1).getName();
  }

  /** The message (why it halted) and the first failure reasons. */
  static String failureDetail(EdgeReleaseStatus s) {
    StringBuilder b = new StringBuilder(s.getMessage() == null ? "" : s.getMessage());
    List<FailureSample> f = s.getFailures() == null ? List.of() : s.getFailures();
    if (!f.isEmpty()) {
      String message = b.toString();
      b.append(b.length() == 0 ? "" : "; ").append("first failures: ");
      int shown = 0, i = 0;
      for (; i < f.size() && shown < REASONS; i++) {
        FailureSample x = f.get(i);
        // the halt message names its wave's first failure already
        if (message.contains(x.getNode() + ": " + x.getReason())) continue;
        b.append(shown++ == 0 ? "" : ", ").append(x.getNode()).append(" (").append(x.getWave()).append("): ")
            .append(x.getReason());
      }
      if (shown == 0) b.setLength(message.length());
      else if (i < f.size()) b.append(", ...");
    }
    return b.length() == 0 ? null : cut(b.toString());
  }

  /** Why the release cannot go on without a person, or null. */
  static String stuckHold(EdgeReleaseStatus s) {
    if (s == null || s.getConditions() == null) return null;
    for (Condition c : s.getConditions()) {
      if (!"True".equals(c.getStatus())) continue;
      if (Condition.PROGRESSING.equals(c.getType()) && STUCK_HOLDS.contains(c.getReason())) {
        return c.getReason() + ": " + c.getMessage();
      }
      if (STUCK_CONDITIONS.contains(c.getType())) return c.getReason() + ": " + c.getMessage();
    }
    return null;
  }

  /** The type and reason of the hold {@link #stuckHold} reports, or null. */
  static String stuckKey(EdgeReleaseStatus s) {
    if (s == null || s.getConditions() == null) return null;
    for (Condition c : s.getConditions()) {
      if (!"True".equals(c.getStatus())) continue;
      if ((Condition.PROGRESSING.equals(c.getType()) && STUCK_HOLDS.contains(c.getReason()))
          || STUCK_CONDITIONS.contains(c.getType())) {
        return c.getType() + "/" + c.getReason();
      }
    }
    return null;
  }

  static String cut(String s) {
    return s == null || s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL - 3) + "...";
  }

  /**
   * {@code next}'s notices: {@code before}'s, carried over (the status is rebuilt on every reconcile), plus the events
   * between the two numbered from the last sequence number. Without destinations ({@code notifying} false) nothing is
   * recorded. The outbox keeps the newest {@link Notices#MAX_OUTBOX}; older undelivered ones are counted as dropped.
   */
  public static Notices record(EdgeReleaseStatus before, EdgeReleaseStatus next, Instant now, boolean notifying) {
    Notices carried = before == null ? null : before.getNotices();
    if (!notifying) return carried;
    List<Event> events = between(before, next);
    if (events.isEmpty()) return carried;
    Notices n = copy(carried);
    long seq = n.getSeq() == null ? 0 : n.getSeq();
    for (Event e : events) {
      n.getOutbox().add(new Notice(++seq, e.kind().name(), now.toString(), e.wave(), e.detail()));
    }
    n.setSeq(seq);
    int over = n.getOutbox().size() - Notices.MAX_OUTBOX;
    if (over > 0) {
      n.setOutbox(new ArrayList<>(n.getOutbox().subList(over, n.getOutbox().size())));
      n.setDropped((n.getDropped() == null ? 0 : n.getDropped()) + over);
    }
    return n;
  }

  /** Events in the outbox not yet acknowledged by {@code destination}, oldest first. */
  public static List<Notice> pending(Notices n, String destination) {
    if (n == null || n.getOutbox() == null) return List.of();
    long acked = acked(n, destination);
    return n.getOutbox().stream().filter(x -> x.getSeq() > acked).toList();
  }

  /**
   * What to send {@code destination} now: every pending event once the oldest has waited {@code window} (events
   * of one release within the window become one message), else nothing.
   */
  public static List<Notice> due(Notices n, String destination, Instant now, Duration window) {
    List<Notice> p = pending(n, destination);
    if (p.isEmpty()) return p;
    Instant oldest = Instant.parse(p.get(0).getAt());
    return oldest.plus(window).isAfter(now) ? List.of() : p;
  }

  /** The cursor of {@code destination}, or null. */
  public static NoticeCursor cursor(Notices n, String destination) {
    if (n == null || n.getCursors() == null) return null;
    return n.getCursors().stream().filter(c -> destination.equals(c.getDestination())).findFirst().orElse(null);
  }

  static long acked(Notices n, String destination) {
    NoticeCursor c = cursor(n, destination);
    return c == null || c.getAcked() == null ? 0 : c.getAcked();
  }

  /**
   * True when some of {@code batch} were claimed by another sender and never acknowledged: it may have posted them
   * before it died, so the message says it may repeat them.
   */
  public static boolean maybeRepeat(Notices n, String destination, List<Notice> batch, String me) {
    NoticeCursor c = cursor(n, destination);
    return c != null && c.getClaimed() != null && !batch.isEmpty() && c.getClaimed() >= batch.get(0).getSeq()
        && !me.equals(c.getClaimedBy());
  }

  /** {@code n} with {@code destination} claimed up to {@code seq} by {@code by}: written (fenced) before posting. */
  public static Notices claim(Notices n, String destination, long seq, String by) {
    Notices out = copy(n);
    NoticeCursor c = cursor(out, destination);
    if (c == null) {
      c = new NoticeCursor(destination, null, null, null);
      out.getCursors().add(c);
    }
    c.setClaimed(Math.max(seq, c.getClaimed() == null ? 0 : c.getClaimed()));
    c.setClaimedBy(by);
    return out;
  }

  /**
   * {@code n} with {@code destination} acknowledged up to {@code seq}; events every destination in
   * {@code configured} acknowledged leave the outbox, and cursors of destinations no longer configured go.
   */
  public static Notices acknowledge(Notices n, String destination, long seq, List<String> configured) {
    Notices out = copy(n);
    NoticeCursor c = cursor(out, destination);
    if (c == null) {
      c = new NoticeCursor(destination, null, null, null);
      out.getCursors().add(c);
    }
    c.setAcked(Math.max(seq, c.getAcked() == null ? 0 : c.getAcked()));
    out.getCursors().removeIf(x -> !configured.contains(x.getDestination()));
    long everywhere = configured.stream().mapToLong(d -> acked(out, d)).min().orElse(0);
    out.getOutbox().removeIf(x -> x.getSeq() <= everywhere);
    out.getCursors().sort(java.util.Comparator.comparing(NoticeCursor::getDestination));
    return out;
  }

  private static Notices copy(Notices n) {
    Notices out = new Notices();
    if (n == null) return out;
    out.setSeq(n.getSeq());
    out.setDropped(n.getDropped());
    for (Notice x : n.getOutbox() == null ? List.<Notice>of() : n.getOutbox()) {
      out.getOutbox().add(new Notice(x.getSeq(), x.getKind(), x.getAt(), x.getWave(), x.getDetail()));
    }
    for (NoticeCursor c : n.getCursors() == null ? List.<NoticeCursor>of() : n.getCursors()) {
      out.getCursors().add(new NoticeCursor(c.getDestination(), c.getAcked(), c.getClaimed(), c.getClaimedBy()));
    }
    return out;
  }
}
