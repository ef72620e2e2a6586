package io.edgewave.operator.alert;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgewave.operator.notice.ReleaseMessage;
import java.time.Instant;
import java.util.List;

/**
 * A Feishu (Lark) custom bot, text message. Unlike DingTalk, the signature goes inside the body: {@code timestamp}
 * (seconds, as a string) and {@code sign} = base64(HmacSHA256(key = timestamp + "\n" + secret, data = empty)).
 * Feishu refuses a timestamp more than an hour off, so every attempt is signed afresh.
 */
public final class FeishuRobot implements WebhookVendor {
  @Override
  public WebhookRequest request(String url, String secret, List<Alert> batch, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (secret != null) {
      String timestamp = Long.toString(now.getEpochSecond());
      o.put("timestamp", timestamp);
      o.put("sign", sign(timestamp, secret));
    }
    o.put("msg_type", "text");
    o.putObject("content").put("text", AlertText.title(batch) + "\n" + AlertText.bullets(batch, "- "));
    return WebhookRequest.json(url, o.toString());
  }

  static String sign(String timestamp, String secret) {
    return HmacSha256.base64(timestamp + "\n" + secret, "");
  }

  @Override
  public WebhookRequest release(String url, String secret, ReleaseMessage m, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (secret != null) {
      String timestamp = Long.toString(now.getEpochSecond());
      o.put("timestamp", timestamp);
      o.put("sign", sign(timestamp, secret));
    }
    o.put("msg_type", "text");
    o.putObject("content").put("text", m.title() + "\n" + m.lines("- ", "", "") + m.footer());
    return WebhookRequest.json(url, o.toString());
  }
}
