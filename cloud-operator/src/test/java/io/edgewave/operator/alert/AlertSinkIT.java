package io.edgewave.operator.alert;

import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.kube.WebhookSecrets;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lost-node alerts reach a local HTTP server: batched, retried, with rollout context read from the Deployments the
 * caller's cache holds (here the objects the API server returned; in the operator its informers).
 */
class AlertSinkIT {
  EmbeddedApiServer api;
  HttpServer server;
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<String> queries = new CopyOnWriteArrayList<>();
  final AtomicInteger failFirst = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    api = new EmbeddedApiServer();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      int code = failFirst.getAndDecrement() > 0 ? 500 : 200;
      if (code == 200) {
        bodies.add(new String(body, StandardCharsets.UTF_8));
        queries.add(String.valueOf(ex.getRequestURI().getRawQuery()));
      }
      ex.sendResponseHeaders(code, -1);
      ex.close();
    });
    server.start();
    api.createNamespace("edgewave-system");
    api.client().secrets().inNamespace("edgewave-system").resource(new SecretBuilder().withNewMetadata()
        .withName("ops-webhook").endMetadata()
        .withData(Map.of("url", b64("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"), "format", b64("generic")))
        .build()).create();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    api.close();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static FailureDetector.Transition lost(String node, Instant now) {
    return new FailureDetector.Transition(node, FailureDetector.State.ONLINE, FailureDetector.State.LOST, now,
        now.minusSeconds(33), Duration.ofSeconds(33), false);
  }

  @Test
  void hundredLostBoxesSendOneMessageWithRolloutContextAfterRetries() {
    Instant now = Instant.now();
    api.createNamespace("logistics");
    Deployment dispatched = api.client().apps().deployments().inNamespace("logistics").resource(new DeploymentBuilder().withNewMetadata()
        .withName("camera-inference-gpu-000")
        .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.RELEASE, "camera-inference", Labels.NODE, "gpu-000",
            Labels.REVISION, "3f2a9c1b7e"))
        .withAnnotations(Map.of(Labels.NODE_NAME, "gpu-000", Labels.DISPATCHED_AT, now.minusSeconds(73).toString(),
            Labels.WAVE, "batch-1"))
        .endMetadata().withNewSpec().endSpec().build()).create();
    failFirst.set(2);
    try (AlertSink sink = new AlertSink(new WebhookSecrets(api.client()), Clock.systemUTC(),
        List.of(new OperatorConfig.WebhookSecret("edgewave-system", "ops-webhook")), Duration.ofSeconds(1),
        Duration.ofMinutes(10), Duration.ofMillis(100), () -> List.of(dispatched))) {
      List<FailureDetector.Transition> t = new ArrayList<>();
      for (int i = 0; i < 100; i++) t.add(lost(String.format("gpu-%03d", i), now));
      sink.transitions(t.subList(0, 50));
      sink.transitions(t.subList(50, 100));
      sink.transitions(List.of(lost("gpu-000", now.plusSeconds(1)))); // flapping: damped
      await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
      String body = bodies.get(0);
      assertTrue(body.contains("\"title\":\"edgewave: 100 nodes lost\""), body);
      assertEquals(100, body.split("\"node\":").length - 1);
      assertTrue(body.contains("\"rollout\":\"lost 40 s after release camera-inference revision 3f2a9c1b7e was applied in wave batch-1\""), body);
      assertEquals(-1, failFirst.get(), "two 500s, then delivered on the third attempt");
    }
  }

  @Test
  void aRetryWaitingForItsBackoffDoesNotHoldBackTheNextBatch() {
    failFirst.set(1);
    // an hour between attempts: a sink that slept on its only thread could send nothing else in this test
    try (AlertSink sink = new AlertSink(new WebhookSecrets(api.client()), Clock.systemUTC(),
        List.of(new OperatorConfig.WebhookSecret("edgewave-system", "ops-webhook")), Duration.ofMillis(200),
        Duration.ofMinutes(10), Duration.ofHours(1), List::of)) {
      sink.transitions(List.of(lost("gpu-first", Instant.now())));
      await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 1); // refused with a 500; retry in 1 h
      sink.transitions(List.of(lost("gpu-second", Instant.now())));
      await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
      assertTrue(bodies.get(0).contains("\"node\":\"gpu-second\""), bodies.get(0));
      assertEquals(2, requests.get(), "the first batch waits for its retry");
    }
  }

  @Test
  void aFeishuRobotGetsItsSignatureInTheBodyAndAPlainUrl() throws Exception {
    api.client().secrets().inNamespace("edgewave-system").resource(new SecretBuilder().withNewMetadata()
        .withName("ops-feishu").endMetadata()
        .withStringData(Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
            "format", "feishu", "secret", "SECfeishu456"))
        .build()).create();
    try (AlertSink sink = new AlertSink(new WebhookSecrets(api.client()), Clock.systemUTC(),
        List.of(new OperatorConfig.WebhookSecret("edgewave-system", "ops-feishu")), Duration.ofMillis(200),
        Duration.ofMinutes(10), Duration.ofMillis(100), List::of)) {
      sink.transitions(List.of(lost("gpu-007", Instant.now())));
      await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
    }
    var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bodies.get(0));
    assertEquals("text", body.path("msg_type").asText());
    assertEquals(FeishuRobot.sign(body.path("timestamp").asText(), "SECfeishu456"), body.path("sign").asText());
    assertTrue(Math.abs(Instant.now().getEpochSecond() - body.path("timestamp").asLong()) < 60, body.toString());
    assertEquals("null", queries.get(0), "nothing signed in the URL");
  }
}
