package io.edgewave.operator.alert;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgewave.operator.notice.ReleaseMessage;
import java.time.Instant;
import java.util.List;

/** A Slack incoming webhook: one mrkdwn {@code text}; the webhook URL is the credential, nothing is signed. */
public final class SlackWebhook implements WebhookVendor {
  @Override
  public WebhookRequest request(String url, String secret, List<Alert> batch, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("text", "*" + AlertText.title(batch) + "*\n" + AlertText.bullets(batch, "• "));
    return WebhookRequest.json(url, o.toString());
  }

  @Override
  public WebhookRequest release(String url, String secret, ReleaseMessage m, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("text", "*" + m.title() + "*\n" + m.lines("• ", "`", "`") + "_" + m.footer() + "_");
    return WebhookRequest.json(url, o.toString());
  }
}
