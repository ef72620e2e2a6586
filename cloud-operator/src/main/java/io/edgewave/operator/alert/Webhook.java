package io.edgewave.operator.alert;

import io.edgewave.operator.config.OperatorConfig.WebhookSecret;
import java.util.Map;

/**
 * A webhook Secret as read at send time, for alerts and release notices alike: its name (namespace/name), where to
 * post, in which vendor's format, and the robot's signing secret (null when it does not sign).
 */
record Webhook(String name, String url, WebhookVendor vendor, String secret) {
  /** @throws IllegalArgumentException saying why the webhook cannot be used (missing, no url, unknown format) */
  static Webhook read(AlertSink.WebhookSettings settings, WebhookSecret w) {
    Map<String, String> cfg = settings.read(w);
    WebhookVendor vendor = WebhookVendor.parse(cfg.get("format"));
    String secret = cfg.get("secret") == null || cfg.get("secret").isEmpty() ? null : cfg.get("secret");
    return new Webhook(w.namespace() + "/" + w.name(), cfg.get("url"), vendor, secret);
  }
}
