package io.edgewave.operator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.fleet.NodeReadiness;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardHandlerTest {
  final FakeCache cache = new FakeCache();
  final HttpClient http = HttpClient.newHttpClient();
  HttpServer server;
  String base;

  @BeforeEach
  void start() throws Exception {
    cache.nodes.addAll(SimulatedFleet.nodes(8, 2, 2));
    var lost = cache.nodes.get(9);
    lost.getStatus().getConditions().add(new NodeConditionBuilder().withType(NodeReadiness.PROBE_CONDITION)
        .withStatus("False").withReason("EdgeProbeLost").withMessage("no heartbeat for 32s")
        .withLastTransitionTime("2026-11-25T01:00:00Z").build());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", new DashboardHandler(new BoardReader(cache, new FleetFacts(), Clock.systemUTC(),
        SimulatedFleet.SITE_LABEL, Duration.ZERO)));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void servesThePageWithAStrictContentSecurityPolicy() throws Exception {
    var r = send(HttpRequest.newBuilder(URI.create(base + "/")));
    assertEquals(200, r.statusCode());
    assertTrue(new String(r.body()).contains("<script src=\"app.js\""));
    assertTrue(r.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("default-src 'self'"));
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/app.js"))).statusCode());
    assertEquals(404, send(HttpRequest.newBuilder(URI.create(base + "/etc/passwd"))).statusCode());
  }

  @Test
  void boardIsJsonWithEveryNodeAndTheLostOne() throws Exception {
    var r = send(HttpRequest.newBuilder(URI.create(base + "/api/board")));
    assertEquals(200, r.statusCode());
    JsonNode board = BoardReader.JSON.readTree(r.body());
    assertEquals(10, board.get("nodes").size());
    assertEquals(1, board.get("counts").get("lost").asInt());
    assertEquals(cache.nodes.get(9).getMetadata().getName(), board.get("lost").get(0).get("node").asText());
    assertEquals(2, board.get("sites").size());
  }

  @Test
  void unchangedBoardAnswers304ToItsETagAndGzipWhenAsked() throws Exception {
    var first = send(HttpRequest.newBuilder(URI.create(base + "/api/board")));
    String etag = first.headers().firstValue("ETag").orElseThrow();
    var again = send(HttpRequest.newBuilder(URI.create(base + "/api/board")).header("If-None-Match", etag));
    assertEquals(304, again.statusCode());
    var zipped = send(HttpRequest.newBuilder(URI.create(base + "/api/board")).header("Accept-Encoding", "gzip"));
    assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElseThrow());
    try (var in = new GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
      assertEquals(new String(first.body()), new String(in.readAllBytes()));
    }
    cache.nodes.remove(0);
    var changed = send(HttpRequest.newBuilder(URI.create(base + "/api/board")).header("If-None-Match", etag));
    assertEquals(200, changed.statusCode(), "a changed fleet is a new board");
  }

  @Test
  void refusesWrites() throws Exception {
    for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
      var r = send(HttpRequest.newBuilder(URI.create(base + "/api/board"))
          .method(method, HttpRequest.BodyPublishers.ofString("{}")));
      assertEquals(405, r.statusCode(), method);
      assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
    }
  }
}
