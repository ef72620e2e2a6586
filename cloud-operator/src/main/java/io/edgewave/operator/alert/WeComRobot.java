package io.edgewave.operator.alert;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgewave.operator.notice.ReleaseMessage;
import java.time.Instant;
import java.util.List;

/**
 * A WeCom (WeChat Work) group robot, markdown message. The {@code key} in its URL is the credential; it has no
 * signing. WeCom refuses markdown content over 4096 bytes of UTF-8, so the lines are cut to fit and the rest
 * counted, rather than losing the whole page.
 */
public final class WeComRobot implements WebhookVendor {
  static final int MAX_CONTENT_BYTES = 4096;

  @Override
  public WebhookRequest request(String url, String secret, List<Alert> batch, Instant now) {
    String heading = "### " + AlertText.title(batch) + "\n";
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("msgtype", "markdown");
    o.putObject("markdown").put("content",
        heading + AlertText.bullets(batch, "- ", MAX_CONTENT_BYTES - AlertText.utf8(heading)));
    return WebhookRequest.json(url, o.toString());
  }

  @Override
  public WebhookRequest release(String url, String secret, ReleaseMessage m, Instant now) {
    String text = "### " + m.title() + "\n" + m.lines("- ", "`", "`") + m.footer();
    // at most 16 events of at most ~400 bytes: over the limit only with long details; cut at a character boundary
    while (AlertText.utf8(text) > MAX_CONTENT_BYTES) text = text.substring(0, text.length() - 64) + "...";
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("msgtype", "markdown");
    o.putObject("markdown").put("content", text);
    return WebhookRequest.json(url, o.toString());
  }
}
