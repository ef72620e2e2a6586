package io.edgewave.operator.kube;

import io.edgewave.operator.alert.NoticePoster;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Notice;
import io.edgewave.operator.api.v1alpha1.Notices;
import io.edgewave.operator.config.OperatorConfig.WebhookSecret;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.operator.notice.NotifyTargets;
import io.edgewave.operator.notice.ReleaseMessage;
import io.edgewave.operator.notice.ReleaseNotices;
import io.edgewave.operator.rollout.Transition;
import io.edgewave.protocol.DaemonThreads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Release notifications, the Kubernetes side of a transactional outbox kept in {@code status.notices}.
 *
 * <p>Recording: the reconciler calls {@link #record} on the status it is about to write, so an event is in status
 * exactly when the write that makes it true succeeded (a 409 loses both together).
 *
 * <p>Delivering (the Lease holder only, from {@link #lead}): every {@link #TICK}, for each release whose oldest event
 * not yet acknowledged by a destination waited one batching window, (1) <b>claim</b>: write the destination's cursor
 * {@code claimed} up to the last event, with the resourceVersion read; a 409 (the reconciler, another replica, our
 * own earlier write the cache has not seen) means no post, look again; (2) post with retries; (3) <b>acknowledge</b>:
 * re-read the release and write {@code acked}, retried on 409 (it only moves the cursor forward). A new leader reads
 * the cursors from status and sends what is not acknowledged.
 *
 * <p>The crash window: a leader that dies after a post succeeded and before its acknowledgement was written leaves
 * claimed > acked. Its successor sends those events again, marked {@code maybeRepeat} and with the same event ids
 * ({@code <uid>/<seq>}): delivery is at least once, exactly once only to a receiver that drops repeated ids. A
 * graceful stop (rollout of the operator, a lost Lease in tests) waits for posts in flight and their
 * acknowledgements first, so only a crash can repeat.
 */
public final class ReleaseOutbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReleaseOutbox.class);
  static final Duration TICK = Duration.ofMillis(250);
  /** After a failed or misconfigured post, the destination is tried again this much later. */
  static final Duration RETRY = Duration.ofSeconds(30);
  static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

  private final KubernetesClient client;
  private final Clock clock;
  private final Supplier<List<EdgeRelease>> releases;
  private final NoticePoster poster;
  private final EdgewaveMetrics metrics;
  private final List<String> defaults;
  private final Duration window;
  private final String identity;
  private final ReleaseEvents events;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(new DaemonThreads("release-outbox"));
  // touched on the loop thread only
  private final Set<String> inFlight = new HashSet<>();
  private final Map<String, Instant> retryAt = new HashMap<>();
  private final Map<String, Long> unacked = new HashMap<>();
  private final Set<String> warned = new HashSet<>();
  private ScheduledFuture<?> ticking;
  private volatile boolean closed;
  private boolean stopped;

  /**
   * @param releases the EdgeReleases as the informer holds them
   * @param defaults the operator-wide destinations ({@code --notify-webhooks}), namespace/name
   * @param window   events of one release within this long become one message
   * @param identity this replica, written as the claimer
   */
  public ReleaseOutbox(KubernetesClient client, Clock clock, Supplier<List<EdgeRelease>> releases, NoticePoster poster,
      EdgewaveMetrics metrics, List<String> defaults, Duration window, String identity) {
    this.client = client;
    this.clock = clock;
    this.releases = releases;
    this.poster = poster;
    this.metrics = metrics;
    this.defaults = List.copyOf(defaults);
    this.window = window;
    this.identity = identity;
    this.events = new ReleaseEvents(client, clock);
  }

  /** The notices {@code next} carries: {@code er}'s, plus the events between its status and {@code next}. */
  public static Notices record(EdgeRelease er, EdgeReleaseStatus next, Instant now, List<String> defaults) {
    return ReleaseNotices.record(er.getStatus(), next, now,
        NotifyTargets.notifying(annotation(er), defaults));
  }

  private static String annotation(EdgeRelease er) {
    var a = er.getMetadata().getAnnotations();
    return a == null ? null : a.get(NotifyTargets.ANNOTATION);
  }

  /** This replica holds the Lease: start delivering. */
  public synchronized void lead() {
    if (closed || stopped || ticking != null) return;
    ticking = loop.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    log.info("delivering release notifications as {}", identity);
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      for (EdgeRelease er : releases.get()) deliver(er, now);
    } catch (RuntimeException e) {
      log.warn("release notifications: {}", e.toString());
    }
  }

  private void deliver(EdgeRelease er, Instant now) {
    String ann = annotation(er);
    NotifyTargets targets = NotifyTargets.of(ann, defaults);
    for (String p : targets.problems()) warnOnce(er, p); // also when a bad annotation left nothing to record
    Notices n = er.getStatus() == null ? null : er.getStatus().getNotices();
    if (n == null || n.getOutbox() == null || n.getOutbox().isEmpty()) return;
    for (String dest : targets.destinations()) {
      String key = er.getMetadata().getUid() + " " + dest;
      if (inFlight.contains(key) || retryAt.getOrDefault(key, Instant.MIN).isAfter(now)) continue;
      if (unacked.containsKey(key)) { // delivered, acknowledgement not yet written: write it before anything new
        if (acknowledge(er, dest, unacked.get(key), targets.destinations())) unacked.remove(key);
        return;
      }
      List<Notice> batch = ReleaseNotices.due(n, dest, now, window);
      if (batch.isEmpty()) continue;
      long upTo = batch.get(batch.size() - 1).getSeq();
      boolean repeat = ReleaseNotices.maybeRepeat(n, dest, batch, identity);
      if (!write(er, ReleaseNotices.claim(n, dest, upTo, identity))) return; // not the latest: look again next tick
      inFlight.add(key);
      String[] ref = dest.split("/", 2);
      ReleaseMessage message = ReleaseMessage.of(er.getMetadata().getNamespace(), er.getMetadata().getName(),
          er.getMetadata().getUid(), batch, repeat);
      String source = ann == null ? "--notify-webhooks" : NotifyTargets.ANNOTATION;
      poster.post(new WebhookSecret(ref[0], ref[1]), message).whenComplete((r, e) -> loop.execute(() -> {
        inFlight.remove(key);
        NoticePoster.Result result = r != null ? r : new NoticePoster.Result(NoticePoster.Outcome.FAILED, "unknown",
            String.valueOf(e));
        finish(er, dest, upTo, batch.size(), result, key, source);
      }));
      return; // the claim changed the resourceVersion: one claim per release per tick
    }
  }

  private void finish(EdgeRelease er, String dest, long upTo, int count, NoticePoster.Result r, String key,
      String source) {
    String release = er.getMetadata().getNamespace() + "/" + er.getMetadata().getName();
    switch (r.outcome()) {
      case DELIVERED -> {
        metrics.notification("sent", r.format(), count);
        log.info("{}: {} release events sent to {} (through #{})", release, count, dest, upTo);
        List<String> configured = NotifyTargets.of(annotation(er), defaults).destinations();
        if (!acknowledge(er, dest, upTo, configured)) unacked.put(key, upTo);
      }
      case FAILED -> {
        metrics.notification("failed", r.format(), count);
        log.warn("{}: release notification to {} failed after retries; trying again in {}", release, dest, RETRY);
        retryAt.put(key, clock.instant().plus(RETRY));
      }
      case MISCONFIGURED -> {
        metrics.notification("misconfigured", r.format(), count);
        warnOnce(er, source + ": " + dest + ": " + r.problem() + "; create that Secret with keys url, format"
            + " (generic, dingtalk, slack, wecom or feishu) and, for a signing robot, secret, or fix " + source);
        retryAt.put(key, clock.instant().plus(RETRY));
      }
    }
  }

  /** Moves the cursor of {@code dest} to {@code upTo} on the latest object; idempotent, so retried on a 409. */
  private boolean acknowledge(EdgeRelease er, String dest, long upTo, List<String> configured) {
    for (int attempt = 0; attempt < 5; attempt++) {
      EdgeRelease latest;
      try {
        latest = client.resources(EdgeRelease.class).inNamespace(er.getMetadata().getNamespace())
            .withName(er.getMetadata().getName()).get();
      } catch (KubernetesClientException e) {
        log.debug("{}: cannot read for acknowledgement: {}", er.getMetadata().getName(), e.getMessage());
        return false;
      }
      if (latest == null || !er.getMetadata().getUid().equals(latest.getMetadata().getUid())) return true;
      Notices n = latest.getStatus() == null ? null : latest.getStatus().getNotices();
      if (write(latest, ReleaseNotices.acknowledge(n, dest, upTo, configured))) return true;
    }
    return false;
  }

  /** Writes {@code notices} into {@code er}'s status, fenced by its resourceVersion; false on a conflict. */
  private boolean write(EdgeRelease er, Notices notices) {
    EdgeRelease copy = Serialization.clone(er);
    copy.getStatus().setNotices(notices);
    try {
      client.resources(EdgeRelease.class).inNamespace(er.getMetadata().getNamespace()).resource(copy).updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) log.info("{}: notification status write failed: {}", er.getMetadata().getName(), e.getMessage());
      return false;
    }
  }

  private void warnOnce(EdgeRelease er, String problem) {
    if (warned.add(er.getMetadata().getUid() + " " + problem)) {
      log.warn("{}/{}: {}", er.getMetadata().getNamespace(), er.getMetadata().getName(), problem);
      events.emit(er, new Transition("NotifyMisconfigured", problem, true));
    }
  }

  /**
   * The Lease is lost: no new claim from now on, without waiting (a deposed leader exits at once). A post in flight
   * may still be acknowledged before the exit; one that is not is sent again by the new leader as a possible repeat.
   */
  public synchronized void stop() {
    stopped = true;
    if (ticking != null) ticking.cancel(false);
  }

  /**
   * Stops delivering. Posts in flight finish and are acknowledged first (up to {@link #CLOSE_WAIT}): only a crash,
   * not a stop, leaves a claimed event unacknowledged.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
      if (ticking != null) ticking.cancel(false);
    }
    Instant until = Instant.now().plus(CLOSE_WAIT);
    while (Instant.now().isBefore(until)) {
      try {
        if (loop.submit(() -> inFlight.isEmpty()).get()) break;
        Thread.sleep(50);
      } catch (Exception e) {
        break;
      }
    }
    loop.shutdown();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
