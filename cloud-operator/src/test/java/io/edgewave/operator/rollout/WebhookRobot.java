package io.edgewave.operator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A chat robot for a test: a local HTTP endpoint that keeps every generic-JSON webhook message posted to it. */
final class WebhookRobot implements AutoCloseable {
  static final String SECRET = "edgewave-system/edgewave-alert-webhook";
  private final List<JsonNode> posted = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  WebhookRobot() throws IOException {
    ObjectMapper json = new ObjectMapper();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      posted.add(json.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }

  /** The webhook Secret {@link #SECRET} (format generic) pointing here, in the cluster of {@code client}. */
  WebhookRobot secretIn(KubernetesClient client) {
    client.secrets().inNamespace("edgewave-system").resource(new SecretBuilder().withNewMetadata()
        .withName("edgewave-alert-webhook").withNamespace("edgewave-system").endMetadata()
        .addToStringData("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook")
        .addToStringData("format", "generic").build()).create();
    return this;
  }

  List<JsonNode> posted() {
    return posted;
  }

  /** The alerts posted so far in {@code state} (LOST, SITE_UNREACHABLE, SITE_BACK, ...). */
  List<JsonNode> alerts(String state) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode body : posted) {
      for (JsonNode a : body.get("alerts")) if (state.equals(a.get("state").asText())) out.add(a);
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
