package io.edgewave.operator.alert;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import io.edgewave.operator.notice.ReleaseMessage;
import java.time.Instant;
import java.util.List;

/**
 * A DingTalk custom robot, markdown message. With a signing secret ("SEC..."), the signature goes in the URL:
 * {@code timestamp} (milliseconds) and {@code sign} = urlencode(base64(HmacSHA256(key = secret, data = timestamp
 * + "\n" + secret))). DingTalk refuses a timestamp more than an hour off, so every attempt is signed afresh.
 */
public final class DingTalkRobot implements WebhookVendor {
  @Override
  public WebhookRequest request(String url, String secret, List<Alert> batch, Instant now) {
    String title = AlertText.title(batch);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("msgtype", "markdown");
    ObjectNode md = o.putObject("markdown");
    md.put("title", title);
    md.put("text", "### " + title + "\n" + AlertText.bullets(batch, "- "));
    return WebhookRequest.json(secret == null ? url : signedUrl(url, secret, now.toEpochMilli()), o.toString());
  }

  static String signedUrl(String url, String secret, long timestampMs) {
    String sign = HmacSha256.base64(secret, timestampMs + "\n" + secret);
    return url + (url.contains("?") ? "&" : "?") + "timestamp=" + timestampMs + "&sign="
        + URLEncoder.encode(sign, StandardCharsets.UTF_8);
  }

  @Override
  public WebhookRequest release(String url, String secret, ReleaseMessage m, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("msgtype", "markdown");
    ObjectNode md = o.putObject("markdown");
    md.put("title", m.title());
    md.put("text", "### " + m.title() + "\n" + m.lines("- ", "`", "`") + "\n" + m.footer());
    return WebhookRequest.json(secret == null ? url : signedUrl(url, secret, now.toEpochMilli()), o.toString());
  }
}
