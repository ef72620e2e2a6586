package io.edgewave.operator.kube;

import io.edgewave.operator.alert.AlertSink;
import io.edgewave.operator.config.OperatorConfig.WebhookSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Reads a webhook's settings from its Secret at each send, so rotating the Secret needs no restart. */
public final class WebhookSecrets implements AlertSink.WebhookSettings {
  private final KubernetesClient client;

  public WebhookSecrets(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Map<String, String> read(WebhookSecret w) {
    Secret s;
    try {
      s = client.secrets().inNamespace(w.namespace()).withName(w.name()).get();
    } catch (KubernetesClientException e) {
      throw new IllegalArgumentException("cannot read the Secret: " + e.getMessage(), e);
    }
    if (s == null) throw new IllegalArgumentException("Secret not found");
    Map<String, String> out = new HashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).strip()));
    }
    if (s.getStringData() != null) s.getStringData().forEach((k, v) -> out.put(k, v.strip()));
    if (out.get("url") == null) throw new IllegalArgumentException("Secret has no key url");
    return out;
  }
}
