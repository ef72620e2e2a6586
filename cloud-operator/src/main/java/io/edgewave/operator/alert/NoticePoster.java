package io.edgewave.operator.alert;

import io.edgewave.operator.config.OperatorConfig.WebhookSecret;
import io.edgewave.operator.notice.ReleaseMessage;
import io.edgewave.protocol.DaemonThreads;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Posts release notifications: reads the destination's webhook Secret (keys url, format, secret, as for alerts), lets
 * its vendor build and sign the request, and posts it with {@link WebhookSender}'s retries on its own thread. The
 * caller learns the outcome, because it acknowledges delivered events in the release's status.
 */
public final class NoticePoster implements AutoCloseable {
  public enum Outcome { DELIVERED, FAILED, MISCONFIGURED }

  /** @param format the vendor's name (a bounded metric label), "unknown" when the Secret could not be read */
  public record Result(Outcome outcome, String format, String problem) {}

  private final AlertSink.WebhookSettings settings;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(new DaemonThreads("notice-poster"));
  private final WebhookSender sender;

  public NoticePoster(AlertSink.WebhookSettings settings, Clock clock, Duration retryBase) {
    this.settings = settings;
    this.sender = new WebhookSender(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), loop, clock,
        retryBase);
  }

  public CompletableFuture<Result> post(WebhookSecret destination, ReleaseMessage message) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        Webhook hook;
        try {
          hook = Webhook.read(settings, destination);
        } catch (RuntimeException e) {
          done.complete(new Result(Outcome.MISCONFIGURED, "unknown", e.getMessage()));
          return;
        }
        String format = format(hook.vendor());
        sender.send(hook.name(), now -> hook.vendor().release(hook.url(), hook.secret(), message, now),
            message.items().size(), ok -> done.complete(new Result(ok ? Outcome.DELIVERED : Outcome.FAILED, format, null)));
      });
    } catch (RejectedExecutionException e) {
      done.complete(new Result(Outcome.FAILED, "unknown", "closed"));
    }
    return done;
  }

  /** The vendor's format name, as a Secret writes it: a bounded label. */
  static String format(WebhookVendor v) {
    if (v instanceof DingTalkRobot) return "dingtalk";
    if (v instanceof SlackWebhook) return "slack";
    if (v instanceof WeComRobot) return "wecom";
    if (v instanceof FeishuRobot) return "feishu";
    return "generic";
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
