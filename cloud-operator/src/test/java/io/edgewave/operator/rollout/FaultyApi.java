package io.edgewave.operator.rollout;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mock API server's CRUD store with injected faults on the operator's writes (Deployments and EdgeRelease
 * status): a 409 Conflict or a 500 without applying the write, or a timeout after applying it (the worst case: the
 * write happened but the caller cannot know). Pods (the simulated kubelet's) are never faulted.
 */
final class FaultyApi extends KubernetesCrudDispatcher {
  final AtomicInteger conflicts = new AtomicInteger();
  final AtomicInteger errors = new AtomicInteger();
  final AtomicInteger timeouts = new AtomicInteger();
  private final Random random = new Random(42);
  private final double rate;
  private final Duration timeout;

  FaultyApi(double rate, Duration timeout) {
    super(List.of());
    this.rate = rate;
    this.timeout = timeout;
  }

  private boolean ours(RecordedRequest r) {
    String p = r.getPath();
    return p.contains("/deployments") || (p.contains("/edgereleases/") && p.contains("/status"));
  }

  private MockResponse maybeFault(RecordedRequest r, java.util.function.Supplier<MockResponse> write) {
    int kind;
    synchronized (random) {
      kind = ours(r) && random.nextDouble() < rate ? random.nextInt(3) : -1;
    }
    switch (kind) {
      case 0 -> {
        conflicts.incrementAndGet();
        return new MockResponse().setResponseCode(409).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
            + "\"Failure\",\"reason\":\"Conflict\",\"code\":409,\"message\":\"injected conflict\"}");
      }
      case 1 -> {
        errors.incrementAndGet();
        return new MockResponse().setResponseCode(500).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
            + "\"Failure\",\"reason\":\"InternalError\",\"code\":500,\"message\":\"injected error\"}");
      }
      case 2 -> {
        timeouts.incrementAndGet();
        return write.get().setBodyDelay(timeout);
      }
      default -> {
        return write.get();
      }
    }
  }

  @Override
  public MockResponse handleCreate(RecordedRequest r) { return maybeFault(r, () -> super.handleCreate(r)); }

  @Override
  public MockResponse handleUpdate(RecordedRequest r) { return maybeFault(r, () -> super.handleUpdate(r)); }

  @Override
  public MockResponse handlePatch(RecordedRequest r) { return maybeFault(r, () -> super.handlePatch(r)); }
}
