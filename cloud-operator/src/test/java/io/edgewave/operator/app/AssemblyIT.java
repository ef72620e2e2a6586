package io.edgewave.operator.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.CrdYaml;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.fleet.MosquittoBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The product as one piece: what it starts from a config, and that close stops all of it. */
class AssemblyIT {
  /** The threads of the parts started once this replica leads with a broker (the Node writer's starts on demand). */
  static final Set<String> LEADER_THREADS = Set.of("heartbeat-subscriber", "node-health-writer", "alert-sink");
  static final Set<String> EAGER_THREADS = Set.of("heartbeat-subscriber", "alert-sink");

  @Test
  void startsEveryPartFromTheConfigAndClosesThemAll() throws Exception {
    try (MosquittoBroker broker = new MosquittoBroker().start();
         EmbeddedApiServer api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)))) {
      OperatorConfig config = OperatorConfig.parse(Map.of("leader-election", "false", "port", "0",
          "mqtt-broker", broker.url(), "alert-webhooks", "edgewave-system/ops-webhook"), Map.of("POD_NAME", "it"));
      Assembly product = Assembly.start(config, Assembly.Wiring.on(api.client(), Clock.systemUTC()));
      int port = product.port();
      try {
        assertNull(product.problem(), "informers synced and healthy");
        await().atMost(Duration.ofSeconds(10)).until(() -> product.facts().ingestDegraded() == null);
        assertTrue(threads().containsAll(EAGER_THREADS), "leader parts running: " + threads());
        var health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/-/healthy")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
      } finally {
        product.close();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> threads().stream().noneMatch(LEADER_THREADS::contains));
      assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/-/healthy")).build(), HttpResponse.BodyHandlers.ofString()),
          "the HTTP server is closed");
      assertTrue(api.client().getHttpClient() != null, "a client it was given is the caller's to close");
    }
  }

  @Test
  void aTakenPortFailsNamingTheFlagAndLeavesNothingRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(0);
         EmbeddedApiServer api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)))) {
      OperatorConfig config = OperatorConfig.parse(Map.of("leader-election", "false",
          "port", String.valueOf(taken.getLocalPort())), Map.of("POD_NAME", "it"));
      api.client().nodes().list(); // the client's own event-loop threads exist before the product starts
      Set<String> before = Set.copyOf(threads());
      var e = assertThrows(IllegalStateException.class,
          () -> Assembly.start(config, Assembly.Wiring.on(api.client(), Clock.systemUTC())));
      assertTrue(e.getMessage().startsWith("--port: cannot listen on " + taken.getLocalPort()), e.getMessage());
      // the operator's informers and executors were started, then stopped again
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(List.of(), threads().stream()
          .filter(t -> !before.contains(t) && !SHARED.matcher(t).lookingAt()).toList(), "threads left running"));
    }
  }

  /**
   * Threads of the JDK, of the API client the test owns (its event loop and request pools grow on demand) and of
   * the test tools, which outlive any one product; what JOSDK and our parts start is not among them.
   */
  static final java.util.regex.Pattern SHARED = java.util.regex.Pattern.compile("vert\\.x-|ForkJoinPool|HttpClient-|"
      + "JdkHttpClientFactory-|-?[0-9]+-pool-[0-9]+-thread-|awaitility|process reaper|Common-Cleaner|Attach Listener|"
      + "Signal Dispatcher");

  static List<String> threads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .collect(Collectors.toList());
  }
}
