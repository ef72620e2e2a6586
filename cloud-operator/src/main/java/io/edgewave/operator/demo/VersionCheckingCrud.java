package io.edgewave.operator.demo;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The mock API server's CRUD store, checking the resourceVersion of status updates as a real API server does: the
 * mock checks it on whole objects, not on the status subresource, so without this a status write decided from a
 * stale read (a reconcile, a claim of the release outbox) would win in tests where the cluster answers 409.
 */
public class VersionCheckingCrud extends KubernetesCrudDispatcher {
  public VersionCheckingCrud() {
    super(List.of());
  }

  @Override
  public synchronized MockResponse handleUpdate(RecordedRequest r) {
    String path = r.getPath();
    int query = path.indexOf('?');
    if (query >= 0) path = path.substring(0, query);
    if (path.endsWith("/status")) {
      byte[] bytes = r.getBody().getBytes();
      Map<?, ?> body = Serialization.unmarshal(new String(bytes, StandardCharsets.UTF_8), Map.class);
      Object sent = body.get("metadata") instanceof Map<?, ?> m ? m.get("resourceVersion") : null;
      MockResponse current = handleGet(path.substring(0, path.length() - "/status".length()));
      if (sent != null && current.code() == 200) {
        Map<?, ?> stored = Serialization.unmarshal(new String(current.getBody().getBytes(), StandardCharsets.UTF_8),
            Map.class);
        Object now = stored.get("metadata") instanceof Map<?, ?> m ? m.get("resourceVersion") : null;
        if (!sent.equals(now)) {
          return new MockResponse().setResponseCode(409).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
              + "\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409,\"message\":\"Operation cannot be "
              + "fulfilled: the object has been modified; please apply your changes to the latest version and try "
              + "again\"}");
        }
      }
      r = new RecordedRequest(r.getHttpVersion(), r.method(), r.getPath(), r.getHeaders(),
          new io.fabric8.mockwebserver.http.Buffer(bytes));
    }
    return super.handleUpdate(r);
  }

  /** Under the same monitor as updates, so no patch lands between an update's version check and its write. */
  @Override
  public synchronized MockResponse handlePatch(RecordedRequest r) {
    return super.handlePatch(r);
  }
}
