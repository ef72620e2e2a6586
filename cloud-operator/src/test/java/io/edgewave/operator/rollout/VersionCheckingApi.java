package io.edgewave.operator.rollout;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;

/**
 * The mock API server's CRUD store, checking the resourceVersion of status updates as a real API server does
 * (the mock checks it on whole objects, not on the status subresource).
 */
public final class VersionCheckingApi extends KubernetesCrudDispatcher {
  public VersionCheckingApi() {
    super(List.of());
  }

  @Override
  public synchronized MockResponse handleUpdate(RecordedRequest r) {
    String path = r.getPath();
    if (path.endsWith("/status")) {
      byte[] bytes = r.getBody().getBytes();
      Map<?, ?> body = Serialization.unmarshal(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), Map.class);
      Object sent = body.get("metadata") instanceof Map<?, ?> m ? m.get("resourceVersion") : null;
      MockResponse current = handleGet(path.substring(0, path.length() - "/status".length()));
      Map<?, ?> stored = Serialization.unmarshal(new String(current.getBody().getBytes(),
          java.nio.charset.StandardCharsets.UTF_8), Map.class);
      Object now = stored.get("metadata") instanceof Map<?, ?> m ? m.get("resourceVersion") : null;
      if (sent != null && !sent.equals(now)) {
        return new MockResponse().setResponseCode(409).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
            + "\"Failure\",\"reason\":\"Conflict\",\"code\":409,\"message\":\"the object has been modified\"}");
      }
      r = new RecordedRequest(r.getHttpVersion(), r.method(), r.getPath(), r.getHeaders(),
          new io.fabric8.mockwebserver.http.Buffer(bytes));
    }
    return super.handleUpdate(r);
  }
}
