package io.edgewave.operator.alert;

import io.edgewave.operator.notice.ReleaseMessage;
import java.time.Instant;
import java.util.List;

/**
 * One webhook format: how a batch of alerts becomes the whole request (URL, headers, body), signing included.
 * Pure: no I/O, the time of signing passed in, so every vendor is tested against vectors computed elsewhere. A new
 * destination is one more class here and one more line in {@link #parse}; the sender does not change.
 */
public sealed interface WebhookVendor permits GenericJsonWebhook, DingTalkRobot, SlackWebhook, WeComRobot, FeishuRobot {
  String FORMATS = "generic, dingtalk, slack, wecom or feishu (lark)";

  /**
   * The request that posts {@code batch}. {@code secret} is the robot's signing secret from the webhook Secret
   * (null when it has none); vendors that do not sign ignore it. Throws IllegalArgumentException for a URL that
   * cannot be posted to.
   */
  WebhookRequest request(String url, String secret, List<Alert> batch, Instant now);

  /**
   * The request that posts one release notification: a batch of one release's events, with their ids and, for an
   * approval, the command. Signed as {@link #request} signs.
   */
  WebhookRequest release(String url, String secret, ReleaseMessage message, Instant now);

  /** The vendor named by a webhook Secret's {@code format} key; absent or blank means generic. */
  static WebhookVendor parse(String format) {
    if (format == null || format.isBlank()) return new GenericJsonWebhook();
    return switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "generic" -> new GenericJsonWebhook();
      case "dingtalk" -> new DingTalkRobot();
      case "slack" -> new SlackWebhook();
      case "wecom" -> new WeComRobot();
      case "feishu", "lark" -> new FeishuRobot();
      default -> throw new IllegalArgumentException("format \"" + format + "\" is not " + FORMATS);
    };
  }
}
