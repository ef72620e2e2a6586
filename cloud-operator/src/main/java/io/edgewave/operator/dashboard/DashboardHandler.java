package io.edgewave.operator.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: a static page (no CDN, no inline script) and one read-only JSON resource, {@code /api/board}. Only
 * GET and HEAD are served; anything else gets 405. It shows what is in the API and in the probes' heartbeats, and
 * nothing else: no Secrets, no webhook URLs, no credentials are ever read into the board.
 */
public final class DashboardHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(DashboardHandler.class);
  private static final Map<String, String> STATIC = Map.of(
      "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");
  private final BoardReader board;
  private final java.util.function.Supplier<String> problem;
  private final Map<String, byte[]> files;

  public DashboardHandler(BoardReader board) {
    this(board, () -> null);
  }

  /** @param problem why the operator is unhealthy, or null: answers /healthz (liveness and readiness probes) */
  public DashboardHandler(BoardReader board, java.util.function.Supplier<String> problem) {
    this.board = board;
    this.problem = problem;
    this.files = Map.of("index.html", resource("index.html"), "app.js", resource("app.js"), "app.css", resource("app.css"));
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      var h = ex.getResponseHeaders();
      h.set("X-Content-Type-Options", "nosniff");
      h.set("Referrer-Policy", "no-referrer");
      h.set("X-Frame-Options", "DENY");
      h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'");
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        h.set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain; charset=utf-8", "read-only: only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = ex.getRequestURI().getPath();
      String file = STATIC.get(path);
      if (file != null) {
        h.set("Cache-Control", "no-cache");
        send(ex, 200, TYPES.get(file.substring(file.lastIndexOf('.') + 1)), files.get(file));
      } else if (path.equals("/api/board")) {
        board(ex);
      } else if (path.equals("/healthz")) {
        String p = problem.get();
        send(ex, p == null ? 200 : 503, "text/plain; charset=utf-8",
            ((p == null ? "ok" : p) + "\n").getBytes(StandardCharsets.UTF_8));
      } else {
        send(ex, 404, "text/plain; charset=utf-8", ("no such page: " + path + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      log.debug("dashboard client went away: {}", e.toString());
    } catch (RuntimeException e) {
      log.warn("dashboard request {} failed: {}", ex.getRequestURI(), e.toString());
    }
  }

  private void board(HttpExchange ex) throws IOException {
    BoardReader.Snapshot s;
    try {
      s = board.snapshot();
    } catch (RuntimeException e) {
      log.warn("dashboard board could not be built: {}", e.toString());
      send(ex, 503, "text/plain; charset=utf-8", "board not available yet\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    var h = ex.getResponseHeaders();
    h.set("Cache-Control", "no-cache");
    h.set("ETag", s.etag());
    h.set("Vary", "Accept-Encoding");
    if (s.etag().equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
      ex.sendResponseHeaders(304, -1);
      return;
    }
    String accept = ex.getRequestHeaders().getFirst("Accept-Encoding");
    boolean gzip = accept != null && accept.contains("gzip");
    if (gzip) h.set("Content-Encoding", "gzip");
    send(ex, 200, "application/json", gzip ? s.gzip() : s.json());
  }

  private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardHandler.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) throw new IllegalStateException("dashboard file " + name + " missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("dashboard file " + name + ": " + e.getMessage(), e);
    }
  }
}
