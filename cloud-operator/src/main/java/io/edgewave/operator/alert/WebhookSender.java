package io.edgewave.operator.alert;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a webhook request, retrying errors, 429 and 5xx up to {@link #ATTEMPTS} times with doubling backoff.
 *
 * <p>Nothing here waits on the alert thread: the POST is asynchronous and each retry is scheduled on that thread's
 * executor, so a robot that is down for a minute does not hold back the next batch or the other webhooks (a
 * sleeping thread did). Each attempt builds its request afresh because signatures carry a timestamp.
 */
final class WebhookSender {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  static final int ATTEMPTS = 4;
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final ScheduledExecutorService loop;
  private final Clock clock;
  private final Duration retryBase;

  WebhookSender(HttpClient http, ScheduledExecutorService loop, Clock clock, Duration retryBase) {
    this.http = http;
    this.loop = loop;
    this.clock = clock;
    this.retryBase = retryBase;
  }

  /** The wait before attempt {@code attempt + 1}: base, 2 base, 4 base... */
  static Duration backoff(Duration base, int attempt) {
    return base.multipliedBy(1L << (attempt - 1));
  }

  void send(String name, Function<Instant, WebhookRequest> request, int alerts) {
    send(name, request, alerts, delivered -> { });
  }

  /** As {@link #send(String, Function, int)}, then tells {@code done} whether the webhook took it (2xx) in the end. */
  void send(String name, Function<Instant, WebhookRequest> request, int alerts, Consumer<Boolean> done) {
    attempt(name, request, alerts, 1, done);
  }

  private void attempt(String name, Function<Instant, WebhookRequest> request, int alerts, int attempt,
      Consumer<Boolean> done) {
    HttpRequest post;
    try {
      WebhookRequest r = request.apply(clock.instant());
      HttpRequest.Builder b = HttpRequest.newBuilder(r.url()).timeout(TIMEOUT)
          .POST(HttpRequest.BodyPublishers.ofString(r.body(), StandardCharsets.UTF_8));
      r.headers().forEach(b::header);
      post = b.build();
    } catch (IllegalArgumentException e) {
      // a URL that cannot be posted to stays so until the Secret is fixed: retrying would only delay the warning
      log.warn("webhook {}: {}; {} alerts not delivered", name, e.getMessage(), alerts);
      done.accept(false);
      return;
    }
    http.sendAsync(post, HttpResponse.BodyHandlers.discarding()).whenCompleteAsync((response, error) -> {
      if (error == null) {
        int code = response.statusCode();
        if (code < 300) {
          done.accept(true);
          return;
        }
        if (code < 500 && code != 429) {
          log.warn("webhook {} refused the alert: HTTP {}", name, code);
          done.accept(false);
          return;
        }
        log.debug("webhook {}: HTTP {} (attempt {})", name, code, attempt);
      } else {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        log.debug("webhook {}: {} (attempt {})", name, cause.toString(), attempt);
      }
      if (attempt >= ATTEMPTS) {
        log.warn("webhook {}: giving up after {} attempts; {} alerts not delivered", name, ATTEMPTS, alerts);
        done.accept(false);
        return;
      }
      try {
        loop.schedule(() -> attempt(name, request, alerts, attempt + 1, done), backoff(retryBase, attempt).toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("webhook {}: closed before attempt {}", name, attempt + 1);
        done.accept(false);
      }
    }, loop);
  }
}
