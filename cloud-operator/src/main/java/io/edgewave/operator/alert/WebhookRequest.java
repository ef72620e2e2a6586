package io.edgewave.operator.alert;

import java.net.URI;
import java.util.Map;

/** Everything a webhook POST needs, built by a {@link WebhookVendor}; the sender only does the HTTP. */
public record WebhookRequest(URI url, Map<String, String> headers, String body) {
  public WebhookRequest {
    headers = Map.copyOf(headers);
  }

  static WebhookRequest json(String url, String body) {
    return new WebhookRequest(URI.create(url), Map.of("Content-Type", "application/json; charset=utf-8"), body);
  }
}
