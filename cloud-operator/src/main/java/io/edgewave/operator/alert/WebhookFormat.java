package io.edgewave.operator.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The three payload shapes: our generic JSON, a DingTalk robot's markdown, a Slack incoming webhook. */
public enum WebhookFormat {
  GENERIC, DINGTALK, SLACK;

  public static WebhookFormat parse(String s) {
    if (s == null || s.isBlank()) return GENERIC;
    try {
      return valueOf(s.strip().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("format \"" + s + "\" is not generic, dingtalk or slack");
    }
  }

  public static String title(List<Alert> batch) {
    long lost = batch.stream().filter(a -> a.kind() == Alert.Kind.LOST).count();
    long offline = batch.stream().filter(a -> a.kind() == Alert.Kind.OFFLINE).count();
    long back = batch.stream().filter(a -> a.kind() == Alert.Kind.BACK_ONLINE).count();
    StringBuilder sb = new StringBuilder("edgewave: ");
    if (lost > 0) sb.append(lost).append(lost == 1 ? " node lost" : " nodes lost");
    if (offline > 0) sb.append(lost > 0 ? ", " : "").append(offline).append(" offline");
    if (back > 0) sb.append(lost + offline > 0 ? ", " : "").append(back).append(" back online");
    return sb.toString();
  }

  public String body(List<Alert> batch) {
    String title = title(batch);
    StringBuilder lines = new StringBuilder();
    int shown = 0;
    for (Alert a : batch) {
      if (shown++ == 50) {
        lines.append("- ... and ").append(batch.size() - 50).append(" more\n");
        break;
      }
      lines.append("- ").append(a.line()).append('\n');
    }
    ObjectNode o = Serialization.jsonMapper().createObjectNode();
    switch (this) {
      case GENERIC -> {
        o.put("kind", "edgewave.alert");
        o.put("title", title);
        ArrayNode arr = o.putArray("alerts");
        for (Alert a : batch) {
          ObjectNode n = arr.addObject();
          n.put("node", a.node());
          n.put("state", a.kind().name());
          n.put("at", a.at().toString());
          n.put("silenceSeconds", a.silence().toSeconds());
          if (a.rolloutContext() != null) n.put("rollout", a.rolloutContext());
        }
      }
      case DINGTALK -> {
        o.put("msgtype", "markdown");
        ObjectNode md = o.putObject("markdown");
        md.put("title", title);
        md.put("text", "### " + title + "\n" + lines);
      }
      case SLACK -> o.put("text", "*" + title + "*\n" + lines.toString().replace("- ", "• "));
    }
    return o.toString();
  }

  /** DingTalk's signature: base64(HmacSHA256(secret, timestamp + "\n" + secret)), URL-encoded, as query params. */
  public static String signedDingTalkUrl(String url, String secret, long timestampMs) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String sign = Base64.getEncoder().encodeToString(
          mac.doFinal((timestampMs + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
      return url + (url.contains("?") ? "&" : "?") + "timestamp=" + timestampMs + "&sign="
          + URLEncoder.encode(sign, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
