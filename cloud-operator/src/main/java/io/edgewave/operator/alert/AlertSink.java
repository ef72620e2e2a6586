package io.edgewave.operator.alert;

import io.edgewave.operator.config.DaemonThreads;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.HeartbeatSubscriber;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns transitions into webhook messages: batched and damped by {@link AlertBatcher}, with rollout context,
 * posted to every configured webhook. A webhook is a Secret with keys {@code url} (required), {@code format}
 * (generic, dingtalk or slack) and {@code secret} (a DingTalk robot's signing secret); it is read at each send,
 * so rotating it needs no restart. Delivery retries 3 times with backoff (1 s, 2 s, 4 s) on errors and 5xx.
 */
public final class AlertSink implements HeartbeatSubscriber.Sink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertSink.class);
  static final int ATTEMPTS = 4;

  /** Where a webhook's settings live. */
  public record WebhookSecret(String namespace, String name) {
    public static WebhookSecret parse(String text) {
      String[] p = text.split("/", 2);
      if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
        throw new IllegalArgumentException("webhook secret \"" + text + "\" must be namespace/name");
      }
      return new WebhookSecret(p[0], p[1]);
    }
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final List<WebhookSecret> webhooks;
  private final RolloutContext context;
  private final AlertBatcher batcher;
  private final Duration retryBase;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("alert-sink"));

  public AlertSink(KubernetesClient client, Clock clock, List<WebhookSecret> webhooks, Duration window, Duration damping,
      Duration retryBase) {
    this.client = client;
    this.clock = clock;
    this.webhooks = List.copyOf(webhooks);
    this.context = new RolloutContext(client);
    this.batcher = new AlertBatcher(window, damping);
    this.retryBase = retryBase;
    loop.scheduleWithFixedDelay(this::flush, 200, 200, TimeUnit.MILLISECONDS);
  }

  @Override
  public void transitions(List<FailureDetector.Transition> transitions) {
    List<FailureDetector.Transition> copy = new ArrayList<>(transitions);
    loop.execute(() -> {
      for (FailureDetector.Transition t : copy) {
        Alert.Kind kind = switch (t.to()) {
          case LOST -> Alert.Kind.LOST;
          case OFFLINE -> Alert.Kind.OFFLINE;
          case ONLINE -> Alert.Kind.BACK_ONLINE;
        };
        String verb = kind == Alert.Kind.BACK_ONLINE ? "back" : kind == Alert.Kind.LOST ? "lost" : "offline";
        String ctx = kind == Alert.Kind.BACK_ONLINE ? null : context.describe(t.node(), verb, t.lastSeen());
        batcher.add(new Alert(t.node(), kind, t.at(), t.silence(), ctx));
      }
    });
  }

  private void flush() {
    try {
      List<Alert> batch = batcher.due(clock.instant());
      if (batch.isEmpty()) return;
      log.info("{} ({} alerts in one message; {} damped so far)", WebhookFormat.title(batch), batch.size(), batcher.dropped());
      for (WebhookSecret w : webhooks) send(w, batch);
    } catch (RuntimeException e) {
      log.error("alert flush failed", e);
    }
  }

  private void send(WebhookSecret w, List<Alert> batch) {
    Map<String, String> cfg;
    WebhookFormat format;
    try {
      cfg = read(w);
      format = WebhookFormat.parse(cfg.get("format"));
    } catch (KubernetesClientException | IllegalArgumentException e) {
      log.warn("webhook {}/{}: {}", w.namespace(), w.name(), e.getMessage());
      return;
    }
    String body = format.body(batch);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      String url = cfg.get("url");
      if (format == WebhookFormat.DINGTALK && cfg.get("secret") != null) {
        url = WebhookFormat.signedDingTalkUrl(url, cfg.get("secret"), clock.millis());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() < 300) return;
        if (r.statusCode() < 500 && r.statusCode() != 429) {
          log.warn("webhook {}/{} refused the alert: HTTP {}", w.namespace(), w.name(), r.statusCode());
          return;
        }
        log.debug("webhook {}/{}: HTTP {} (attempt {})", w.namespace(), w.name(), r.statusCode(), attempt);
      } catch (IOException | IllegalArgumentException e) {
        log.debug("webhook {}/{}: {} (attempt {})", w.namespace(), w.name(), e.toString(), attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (attempt < ATTEMPTS) sleep(retryBase.multipliedBy(1L << (attempt - 1)));
    }
    log.warn("webhook {}/{}: giving up after {} attempts; {} alerts not delivered", w.namespace(), w.name(), ATTEMPTS, batch.size());
  }

  private Map<String, String> read(WebhookSecret w) {
    Secret s = client.secrets().inNamespace(w.namespace()).withName(w.name()).get();
    if (s == null) throw new IllegalArgumentException("Secret not found");
    Map<String, String> out = new java.util.HashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).strip()));
    }
    if (s.getStringData() != null) s.getStringData().forEach((k, v) -> out.put(k, v.strip()));
    if (out.get("url") == null) throw new IllegalArgumentException("Secret has no key url");
    return out;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
