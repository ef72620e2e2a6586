package io.edgewave.operator.alert;

import io.edgewave.operator.fleet.FleetSink;
import io.edgewave.protocol.DaemonThreads;
import io.edgewave.operator.config.OperatorConfig.WebhookSecret;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.SiteDetector;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns transitions into webhook messages: batched and damped by {@link AlertBatcher}, with rollout context,
 * posted to every configured webhook. A webhook is a Secret with keys {@code url} (required), {@code format}
 * ({@link WebhookVendor#FORMATS}) and {@code secret} (a DingTalk or Feishu robot's signing secret); it is read at
 * each send, so rotating it needs no restart. The vendor builds the request; {@link WebhookSender} posts it and
 * retries 3 times with backoff (1 s, 2 s, 4 s) on errors, 429 and 5xx, scheduled rather than slept on the one
 * alert thread.
 */
public final class AlertSink implements FleetSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertSink.class);
  static final int ATTEMPTS = WebhookSender.ATTEMPTS;

  /** Reads a webhook's settings (keys url, format, secret) where they live. */
  public interface WebhookSettings {
    /** @throws IllegalArgumentException saying why the webhook cannot be used (missing, no url, unreadable) */
    Map<String, String> read(WebhookSecret webhook);
  }

  private final WebhookSettings settings;
  private final Clock clock;
  private final List<WebhookSecret> webhooks;
  private final RolloutContext context;
  private final AlertBatcher batcher;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("alert-sink"));
  private final WebhookSender sender;
  /** Boxes paged by a previous leader whose return this one has not heard yet; touched on the alert thread only. */
  private final java.util.Set<String> adoptedLost = new java.util.HashSet<>();

  /**
   * {@code deployments}: the edgewave Deployments as the operator's informers hold them (see
   * {@link RolloutContext#fromCache}), read for rollout context.
   */
  public AlertSink(WebhookSettings settings, Clock clock, List<WebhookSecret> webhooks, Duration window, Duration damping,
      Duration retryBase, Supplier<? extends Collection<Deployment>> deployments) {
    this.settings = settings;
    this.clock = clock;
    this.webhooks = List.copyOf(webhooks);
    this.context = new RolloutContext(deployments);
    this.batcher = new AlertBatcher(window, damping);
    this.sender = new WebhookSender(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), loop, clock,
        retryBase);
    loop.scheduleWithFixedDelay(this::flush, 200, 200, TimeUnit.MILLISECONDS);
  }

  @Override
  public void transitions(List<FailureDetector.Transition> transitions) {
    List<FailureDetector.Transition> copy = new ArrayList<>(transitions);
    loop.execute(() -> {
      Map<String, Deployment> latest = null;
      for (FailureDetector.Transition t : copy) {
        // a node of an unreachable site is paged with its site, not on its own
        if (t.cause() == FailureDetector.Cause.SITE_UNREACHABLE) continue;
        Alert.Kind kind = switch (t.to()) {
          case LOST -> Alert.Kind.LOST;
          case OFFLINE -> Alert.Kind.OFFLINE;
          case ONLINE -> Alert.Kind.BACK_ONLINE;
        };
        String verb = kind == Alert.Kind.BACK_ONLINE ? "back" : kind == Alert.Kind.LOST ? "lost" : "offline";
        String ctx = null;
        if (kind != Alert.Kind.BACK_ONLINE) {
          if (latest == null) latest = context.latestByNode();
          ctx = RolloutContext.describe(latest.get(t.node()), verb, t.lastSeen());
        }
        if (kind == Alert.Kind.BACK_ONLINE) adoptedLost.remove(t.node());
        batcher.add(new Alert(t.node(), kind, t.at(), t.silence(), ctx, t.cause(), List.of()));
      }
    });
  }

  /** One page per unreachable site, listing its nodes; one "site back" when it returns. */
  @Override
  public void sites(List<SiteDetector.SiteTransition> sites) {
    List<SiteDetector.SiteTransition> copy = List.copyOf(sites);
    loop.execute(() -> {
      for (SiteDetector.SiteTransition s : copy) {
        if (s.adopted()) { // the previous leader paged it: only its "back" is ours to send
          batcher.adopt(s.site(), s.at(), true);
          continue;
        }
        batcher.add(Alert.site(s.site(), s.change() == SiteDetector.Change.UNREACHABLE ? Alert.Kind.SITE_UNREACHABLE
            : Alert.Kind.SITE_BACK, s.at(), s.nodes()));
      }
    });
  }

  /**
   * Boxes the previous leader paged (their Node condition False, not for their site): their "back online" is ours to
   * send, from a transition or, for a detector that never heard them before (a restart), from the first convergence
   * pass that hears them.
   */
  @Override
  public void takeover(io.edgewave.operator.fleet.Takeover recorded) {
    loop.execute(() -> recorded.nodes().forEach((node, r) -> {
      if ("False".equals(r.status()) && (io.edgewave.operator.fleet.NodeConditionPlanner.LOST.equals(r.reason())
          || io.edgewave.operator.fleet.NodeConditionPlanner.OFFLINE.equals(r.reason()))) {
        batcher.adopt(node, r.since(), false);
        adoptedLost.add(node);
      }
    }));
  }

  @Override
  public void converge(Map<String, FailureDetector.Verdict> verdicts, Feedback feedback) {
    loop.execute(() -> {
      for (var it = adoptedLost.iterator(); it.hasNext(); ) {
        String node = it.next();
        FailureDetector.Verdict v = verdicts.get(node);
        if (v != null && v.state() == FailureDetector.State.ONLINE && v.heard()) {
          it.remove();
          batcher.add(new Alert(node, Alert.Kind.BACK_ONLINE, clock.instant(), Duration.ZERO, null));
        }
      }
    });
  }

  private void flush() {
    try {
      List<Alert> batch = batcher.due(clock.instant());
      if (batch.isEmpty()) return;
      log.info("{} ({} alerts in one message; {} damped so far)", AlertText.title(batch), batch.size(), batcher.dropped());
      for (WebhookSecret w : webhooks) send(w, batch);
    } catch (RuntimeException e) {
      log.error("alert flush failed", e);
    }
  }

  private void send(WebhookSecret w, List<Alert> batch) {
    Webhook hook;
    try {
      hook = Webhook.read(settings, w);
    } catch (IllegalArgumentException e) {
      log.warn("webhook {}/{}: {}", w.namespace(), w.name(), e.getMessage());
      return;
    }
    sender.send(hook.name(), now -> hook.vendor().request(hook.url(), hook.secret(), batch, now), batch.size());
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
