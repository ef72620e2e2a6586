package io.edgewave.operator.demo;

import io.edgewave.protocol.DaemonThreads;
import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet (and the Deployment controller) of simulated nodes against an API server with no controllers:
 * for each managed Deployment it replaces the pod with one of the Deployment's revision, which turns Ready after a
 * short random delay, crash-loops on nodes told to fail, or cannot pull a known-bad image. Nodes marked down run
 * nothing. It also records every dispatch it sees, so tests can prove no node was moved twice.
 */
public final class SimulatedKubelet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedKubelet.class);
  /** An image whose tag contains this cannot be pulled. */
  public static final String BAD_IMAGE_MARK = "known-bad";

  /** One Deployment write as the kubelet saw it: the node, the revision and the dispatch stamp. */
  private final Map<String, Instant> ready = new java.util.concurrent.ConcurrentHashMap<>();

  public record Dispatch(String node, String revision, String dispatchedAt, Instant seenAt) {}

  private final KubernetesClient client;
  private final Clock clock;
  /** Striped by Deployment, so one Deployment's events stay in order while 10,000 nodes still get served. */
  private final ScheduledExecutorService[] executors = new ScheduledExecutorService[4];
  private final Random random;
  private final long minDelayMs;
  private final long maxDelayMs;
  private final double failRate;
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Set<String> down = ConcurrentHashMap.newKeySet();
  private final Map<String, String> seen = new ConcurrentHashMap<>();
  private final List<Dispatch> dispatches = new CopyOnWriteArrayList<>();
  private SharedIndexInformer<Deployment> informer;

  public SimulatedKubelet(KubernetesClient client, Clock clock, long seed, long minDelayMs, long maxDelayMs,
      double failRate) {
    this.client = client;
    this.clock = clock;
    this.random = new Random(seed);
    for (int i = 0; i < executors.length; i++) {
      executors[i] = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("simulated-kubelet-" + i));
    }
    this.minDelayMs = minDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.failRate = failRate;
  }

  public SimulatedKubelet start() {
    informer = client.apps().deployments().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGER)
        .inform(new ResourceEventHandler<>() {
          @Override public void onAdd(Deployment d) { executor(d).execute(() -> sync(d)); }
          @Override public void onUpdate(Deployment o, Deployment d) { executor(d).execute(() -> sync(d)); }
          @Override public void onDelete(Deployment d, boolean unknown) { executor(d).execute(() -> remove(d)); }
        });
    return this;
  }

  private ScheduledExecutorService executor(Deployment d) {
    return executors[Math.floorMod(d.getMetadata().getName().hashCode(), executors.length)];
  }

  /** Pods started on this node from now on crash-loop. */
  public void failNode(String node) { failing.add(node); }

  public void healNode(String node) { failing.remove(node); }

  /** A node that is down starts nothing. */
  public void setDown(String node, boolean isDown) {
    if (isDown) down.add(node);
    else down.remove(node);
  }

  public List<Dispatch> dispatches() { return List.copyOf(dispatches); }

  /** When each node's pod of each revision was written Ready, by "node@revision". */
  public Map<String, Instant> readyTimes() { return Map.copyOf(ready); }

  private void sync(Deployment d) {
    String node = d.getMetadata().getAnnotations().get(Labels.NODE_NAME);
    String revision = d.getSpec().getTemplate().getMetadata().getLabels().get(Labels.REVISION);
    String stamp = d.getMetadata().getAnnotations().get(Labels.DISPATCHED_AT);
    String key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
    String before = seen.put(key, revision + "|" + stamp);
    if ((revision + "|" + stamp).equals(before)) return;
    dispatches.add(new Dispatch(node, revision, stamp, clock.instant()));
    if (down.contains(node)) return;
    // a Deployment this kubelet has never seen, made for a node that had none, has no older pods to remove;
    // skipping the pod LIST then matters at 10,000 nodes, where each LIST scans the whole mock API server
    if (before != null || d.getMetadata().getAnnotations().get(Labels.PREVIOUS_REVISION) != null) {
      deleteOtherRevisions(d, revision);
    }
    long delay;
    boolean fails;
    synchronized (random) {
      delay = minDelayMs + (maxDelayMs > minDelayMs ? (long) (random.nextDouble() * (maxDelayMs - minDelayMs)) : 0);
      fails = failing.contains(node) || (failRate > 0 && random.nextDouble() < failRate);
    }
    executor(d).schedule(() -> startPod(d, node, revision, fails), delay, TimeUnit.MILLISECONDS);
  }

  private void startPod(Deployment d, String node, String revision, boolean fails) {
    if (down.contains(node)) return;
    String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    String waiting = image != null && image.contains(BAD_IMAGE_MARK) ? "ImagePullBackOff" : fails ? "CrashLoopBackOff" : null;
    Pod pod = new PodBuilder()
        .withNewMetadata()
          .withName(d.getMetadata().getName() + "-" + revision)
          .withNamespace(d.getMetadata().getNamespace())
          .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
        .endMetadata()
        .withSpec(d.getSpec().getTemplate().getSpec())
        .withNewStatus()
          .withPhase(waiting == null ? "Running" : "Pending")
          .withConditions(new PodCondition(null, clock.instant().toString(), null, null, null,
              waiting == null ? "True" : "False", "Ready"))
          .withContainerStatuses(new ContainerStatusBuilder().withName("app").withReady(waiting == null)
              .withRestartCount(waiting == null ? 0 : 3)
              .withNewState().withNewWaiting().withReason(waiting).endWaiting().endState().build())
        .endStatus()
        .build();
    if (waiting == null) pod.getStatus().getContainerStatuses().get(0).getState().setWaiting(null);
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).createOr(op -> op.update());
      if (waiting == null) ready.put(node + "@" + revision, clock.instant());
    } catch (KubernetesClientException e) {
      log.debug("simulated kubelet could not write pod {}: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  private void deleteOtherRevisions(Deployment d, String revision) {
    try {
      for (Pod p : client.pods().inNamespace(d.getMetadata().getNamespace())
          .withLabel(Labels.NODE, d.getMetadata().getLabels().get(Labels.NODE)).list().getItems()) {
        Map<String, String> l = p.getMetadata().getLabels();
        if (d.getMetadata().getLabels().get(Labels.RELEASE).equals(l.get(Labels.RELEASE)) && !revision.equals(l.get(Labels.REVISION))) {
          client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
        }
      }
    } catch (KubernetesClientException e) {
      log.debug("simulated kubelet could not delete old pods: {}", e.getMessage());
    }
  }

  private void remove(Deployment d) {
    seen.remove(d.getMetadata().getNamespace() + "/" + d.getMetadata().getName());
    deleteOtherRevisions(d, "");
  }

  @Override
  public void close() {
    if (informer != null) informer.close();
    for (ScheduledExecutorService e : executors) e.shutdownNow();
  }
}
