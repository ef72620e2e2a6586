package io.edgewave.operator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A chat robot for a test, DingTalk or Slack: a local HTTP endpoint that keeps the text of every message posted to
 * it, read back into release events (release, id, line). The DingTalk one checks each request's signature as
 * DingTalk does (timestamp within an hour, sign = base64(HmacSHA256(secret, timestamp + "\n" + secret))) and
 * answers 403 to a request not signed right, so an unsigned message is never counted as received.
 */
final class ChatRobot implements AutoCloseable {
  /** One event as a message carried it. */
  record Received(String release, long seq, String line) {}

  private final String format;
  private final String secret;
  private final HttpServer server;
  private final List<Received> events = new CopyOnWriteArrayList<>();
  private final List<String> texts = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();

  static ChatRobot dingTalk(String secret) throws IOException {
    return new ChatRobot("dingtalk", secret);
  }

  static ChatRobot slack() throws IOException {
    return new ChatRobot("slack", null);
  }

  private ChatRobot(String format, String secret) throws IOException {
    this.format = format;
    this.secret = secret;
    ObjectMapper json = new ObjectMapper();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String problem = secret == null ? null : signatureProblem(ex.getRequestURI().getRawQuery());
      JsonNode body = json.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (problem != null) {
        refused.add(problem);
        ex.sendResponseHeaders(403, -1);
      } else {
        String text = format.equals("dingtalk") ? body.path("markdown").path("text").asText() : body.path("text").asText();
        texts.add(text);
        events.addAll(parse(text));
        ex.sendResponseHeaders(200, -1);
      }
      ex.close();
    });
    server.start();
  }

  private String signatureProblem(String query) {
    Map<String, String> q = new HashMap<>();
    for (String kv : query == null ? new String[0] : query.split("&")) {
      String[] p = kv.split("=", 2);
      q.put(p[0], p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
    }
    if (!"t0k3n".equals(q.get("access_token"))) return "access_token lost: " + query;
    if (q.get("timestamp") == null || q.get("sign") == null) return "unsigned: " + query;
    long ts = Long.parseLong(q.get("timestamp"));
    if (Math.abs(System.currentTimeMillis() - ts) > 3_600_000L) return "stale timestamp " + ts;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String want = Base64.getEncoder().encodeToString(mac.doFinal((ts + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
      return want.equals(q.get("sign")) ? null : "bad sign " + q.get("sign");
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static final Pattern TITLE = Pattern.compile("edgewave: ([a-z0-9-]+/[a-z0-9-]+): ");
  static final Pattern FOOTER = Pattern.compile("event [^/\\s]+/(\\d+)(?: \\.\\. (\\d+))?");

  /** The events of one message: its release from the title, one per bullet line, ids from the footer range. */
  static List<Received> parse(String text) {
    Matcher t = TITLE.matcher(text);
    Matcher f = FOOTER.matcher(text);
    if (!t.find() || !f.find()) throw new AssertionError("not a release message: " + text);
    long first = Long.parseLong(f.group(1));
    long last = f.group(2) == null ? first : Long.parseLong(f.group(2));
    List<String> lines = new ArrayList<>();
    for (String l : text.split("\n")) if (l.startsWith("- ") || l.startsWith("• ")) lines.add(l.substring(2));
    if (lines.size() != last - first + 1) throw new AssertionError("ids " + first + ".." + last + " for " + lines);
    List<Received> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) out.add(new Received(t.group(1), first + i, lines.get(i)));
    return out;
  }

  /** The webhook Secret {@code namespace/name} pointing here. */
  ChatRobot secretIn(KubernetesClient client, String namespace, String name) {
    var b = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .addToStringData("format", format)
        .addToStringData("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/robot/send"
            + (format.equals("dingtalk") ? "?access_token=t0k3n" : ""));
    if (secret != null) b.addToStringData("secret", secret);
    client.secrets().inNamespace(namespace).resource(b.build()).create();
    return this;
  }

  /** The events received for {@code release}, in the order they arrived. */
  List<Received> of(String release) {
    return events.stream().filter(e -> e.release().equals(release)).toList();
  }

  List<String> texts() {
    return texts;
  }

  /** Requests answered 403 for their signature: must stay empty. */
  List<String> refused() {
    return refused;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
