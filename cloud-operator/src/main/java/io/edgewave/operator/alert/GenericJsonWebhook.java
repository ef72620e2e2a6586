package io.edgewave.operator.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgewave.operator.notice.ReleaseMessage;
import java.time.Instant;
import java.util.List;

/** Our own JSON, for receivers we do not know: every alert as a record, none left out (no line limit). */
public final class GenericJsonWebhook implements WebhookVendor {
  @Override
  public WebhookRequest request(String url, String secret, List<Alert> batch, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("kind", "edgewave.alert");
    o.put("title", AlertText.title(batch));
    ArrayNode arr = o.putArray("alerts");
    for (Alert a : batch) {
      ObjectNode n = arr.addObject();
      n.put(a.kind() == Alert.Kind.SITE_UNREACHABLE || a.kind() == Alert.Kind.SITE_BACK ? "site" : "node", a.node());
      n.put("state", a.kind().name());
      if (a.cause() != null) n.put("cause", a.cause().name());
      if (!a.nodes().isEmpty()) {
        ArrayNode nodes = n.putArray("nodes");
        a.nodes().forEach(nodes::add);
      }
      n.put("at", a.at().toString());
      n.put("silenceSeconds", a.silence().toSeconds());
      if (a.rolloutContext() != null) n.put("rollout", a.rolloutContext());
    }
    return WebhookRequest.json(url, o.toString());
  }

  /** Every event as a record with its id (receivers drop a repeat by id), kind, time, wave, details and command. */
  @Override
  public WebhookRequest release(String url, String secret, ReleaseMessage m, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("kind", "edgewave.release");
    o.put("release", m.release());
    if (m.uid() != null) o.put("uid", m.uid());
    o.put("title", m.title());
    o.put("maybeRepeat", m.maybeRepeat());
    ArrayNode arr = o.putArray("events");
    for (ReleaseMessage.Item i : m.items()) {
      ObjectNode n = arr.addObject();
      n.put("id", i.id());
      n.put("kind", i.kind().name());
      n.put("at", i.at());
      if (i.wave() != null) n.put("wave", i.wave());
      if (i.detail() != null) n.put("detail", i.detail());
      if (i.command() != null) n.put("command", i.command());
      n.put("text", i.line());
    }
    return WebhookRequest.json(url, o.toString());
  }
}
