package io.edgewave.operator.demo;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mock API's CRUD store, plus what a test of leader election needs to see: every write with who made it (the
 * bearer token of the client, one per replica), the Lease holder after each successful Lease write, and the answer a
 * cluster gives to the operator's permission check for Leases (the mock has no RBAC). Used by the leader-election IT
 * and the chaos benchmark. Status updates are fenced by their resourceVersion, as on a real cluster
 * ({@link VersionCheckingCrud}).
 */
public final class AuditedApi extends VersionCheckingCrud {
  /** One write: when, by whose token ("test" without one), the verb, the path and the answer's status code. */
  public record Write(Instant at, String who, String method, String path, int code) {
    /** A write of the rollout itself, not of the Lease or an Event. */
    public boolean ofRollout() {
      return !path.contains("/leases") && !path.contains("/events");
    }
  }

  private final List<Write> writes = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<Instant, String>> holders = new CopyOnWriteArrayList<>();

  public AuditedApi() {
    super();
  }

  public List<Write> writes() {
    return List.copyOf(writes);
  }

  /** Who held the Lease at t, by the last successful Lease write before t; null before the first. */
  public String holderAt(Instant t) {
    String h = null;
    for (var e : holders) {
      if (e.getKey().isAfter(t)) break;
      h = e.getValue();
    }
    return h;
  }

  /** Every holder the Lease has had, in order, repeats folded. */
  public List<String> holders() {
    List<String> out = new java.util.ArrayList<>();
    for (var e : holders) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(e.getValue())) out.add(e.getValue());
    }
    return out;
  }

  /** Successful rollout writes by a replica (a token starting with the prefix) that did not hold the Lease. */
  public List<Write> byNonHolders(String replicaPrefix) {
    return writes.stream().filter(w -> w.who().startsWith(replicaPrefix) && w.ofRollout() && w.code() < 300)
        .filter(w -> !w.who().equals(holderAt(w.at()))).toList();
  }

  private MockResponse audit(RecordedRequest r, MockResponse resp) {
    String auth = r.getHeader("Authorization");
    String who = auth == null ? "test" : auth.replace("Bearer ", "");
    int code = resp.code();
    if (r.getPath().contains("/leases") && code < 300) {
      try {
        // the answer to a create, update or patch is the Lease as stored (the request's body is already consumed)
        String json = new String(resp.getBody().getBytes(), StandardCharsets.UTF_8);
        Lease lease = Serialization.unmarshal(json, Lease.class);
        holders.add(Map.entry(Instant.now(), String.valueOf(lease.getSpec().getHolderIdentity())));
      } catch (RuntimeException e) {
        throw new IllegalStateException("could not read the Lease after " + r.getMethod() + " " + r.getPath(), e);
      }
    }
    writes.add(new Write(Instant.now(), who, r.getMethod(), r.getPath(), code));
    return resp;
  }

  @Override
  public MockResponse handleCreate(RecordedRequest r) {
    if (r.getPath().contains("selfsubjectrulesreviews")) {
      // what a cluster answers the operator's permission check: the Lease verbs it is granted
      return new MockResponse().setResponseCode(201).setBody("""
          {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{},
           "status":{"incomplete":false,"nonResourceRules":[],"resourceRules":[{"apiGroups":["coordination.k8s.io"],
           "resources":["leases"],"verbs":["*"]}]}}""");
    }
    return audit(r, super.handleCreate(r));
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest r) { return audit(r, super.handleUpdate(r)); }

  @Override
  public MockResponse handlePatch(RecordedRequest r) { return audit(r, super.handlePatch(r)); }
}
