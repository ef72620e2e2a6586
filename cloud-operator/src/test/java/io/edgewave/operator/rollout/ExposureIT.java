package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgewave.operator.alert.AlertSink;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.kube.WebhookSecrets;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.fleet.FailureDetector;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With a webhook Secret loaded and an alert sent, everything the operator serves (dashboard, board, metrics,
 * health) is free of the Secret's values, and every path refuses every method that could write.
 */
class ExposureIT {
  static final String TOKEN = "tok-8d7f6e5c4b3a2190";
  static final String SIGNING = "SECf00dfeedbeef1234";

  @Test
  void nothingServedShowsASecretAndNothingAcceptsAWrite() throws Exception {
    AtomicInteger posted = new AtomicInteger();
    HttpServer robot = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    robot.createContext("/", (HttpExchange ex) -> {
      posted.incrementAndGet();
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    robot.start();
    try (OperatorHarness h = new OperatorHarness(8, 2).startOperator()) {
      String url = "http://127.0.0.1:" + robot.getAddress().getPort() + "/robot/send?access_token=" + TOKEN;
      h.client.secrets().inNamespace("edgewave-system").resource(new SecretBuilder().withNewMetadata()
          .withName("edgewave-alert-webhook").withNamespace("edgewave-system").endMetadata()
          .addToStringData("url", url).addToStringData("format", "dingtalk").addToStringData("secret", SIGNING).build())
          .create();
      h.apply("scan-upload", OperatorHarness.spec(EdgeReleaseRolloutIT.THREE_WAVES.formatted("2.4.1", "0", "Halt")));
      h.awaitPhase("scan-upload", Phase.Succeeded, Duration.ofSeconds(60));
      try (AlertSink alerts = new AlertSink(new WebhookSecrets(h.client), Clock.systemUTC(),
          List.of(new OperatorConfig.WebhookSecret("edgewave-system", "edgewave-alert-webhook")), Duration.ofMillis(100),
          Duration.ofMinutes(10), Duration.ofMillis(100),
          io.edgewave.operator.alert.RolloutContext.fromCache(() -> h.operator.cache()))) {
        Instant now = Instant.now();
        alerts.transitions(List.of(new FailureDetector.Transition(h.nodes.get(9).getMetadata().getName(),
            FailureDetector.State.ONLINE, FailureDetector.State.LOST, now, now.minusSeconds(33), Duration.ofSeconds(33), false)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> posted.get() > 0);
      }
      {
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + h.operator.port(); // the product's own server
        for (String path : List.of("/", "/index.html", "/app.js", "/app.css", "/api/board", "/metrics", "/-/healthy",
            "/healthz")) {
          var r = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode(), path);
          for (String secret : List.of(TOKEN, SIGNING, "access_token", "robot/send")) {
            assertFalse(r.body().contains(secret), path + " shows " + secret);
          }
          for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            var w = client.send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{\"spec\":{\"paused\":true}}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(405, w.statusCode(), method + " " + path);
          }
        }
        assertEquals(null, h.get("scan-upload").getSpec().getPaused(), "nothing was written");
      }
    } finally {
      robot.stop(0);
    }
  }
}
