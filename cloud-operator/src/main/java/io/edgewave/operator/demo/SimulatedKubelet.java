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
 * nothing. It also records every dispatch it sees, so tests can prove no node was moved twice, and each node's
 * downtime (old pod deleted to new pod Ready, {@link #downtimes()}).
 *
 * <p>With an {@link ImageModel} ({@link #withImages}) it also models images: each node has a set of images (those
 * of the model's {@code preloaded} and every image it pulled); a new pod whose images are missing waits (Pending,
 * ContainerCreating) for its pulls, and pulls share their site's uplink ({@link SitePulls}, on simulated time
 * sped up by the model's time scale). It serves the operator's pre-pull pods (label
 * {@value #PREPULL_LABEL}) as a kubelet would: pulls their images, then reports them Succeeded, or ErrImagePull
 * and then ImagePullBackOff for an image it cannot pull. A pull of a pod that is deleted before it ends is
 * cancelled unless another pod on the node waits for the same image.
 */
public final class SimulatedKubelet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedKubelet.class);
  /** An image whose tag contains this cannot be pulled. */
  public static final String BAD_IMAGE_MARK = "known-bad";

  /** The label of the operator's pre-pull pods. */
  public static final String PREPULL_LABEL = "edgewave.io/prepull";
  private final Map<String, Instant> ready = new java.util.concurrent.ConcurrentHashMap<>();

  /** One Deployment write as the kubelet saw it: the node, the revision and the dispatch stamp. */
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
  /** Deployments given to a node while it was down, by namespace/name: started when it is up again. */
  private final Map<String, Deployment> skipped = new ConcurrentHashMap<>();
  private final Map<String, String> seen = new ConcurrentHashMap<>();
  private final List<Dispatch> dispatches = new CopyOnWriteArrayList<>();
  private SharedIndexInformer<Deployment> informer;
  private final Downtimes downtimes = new Downtimes();
  private volatile SimulatedTime time = new SimulatedTime(1);
  private ImagePulls pulls;

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

  /** Models images (call before {@link #start}); downtimes are then in the model's simulated seconds. */
  public SimulatedKubelet withImages(ImageModel model) {
    if (informer != null) throw new IllegalStateException("withImages comes before start");
    time = new SimulatedTime(model.timeScale());
    pulls = new ImagePulls(client, model, time, down);
    return this;
  }

  public SimulatedKubelet start() {
    if (pulls != null) pulls.start();
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

  /**
   * A node that is down starts nothing; once up again it starts what it was given meanwhile (with images
   * modelled, the operator's pre-pull pods too).
   */
  public void setDown(String node, boolean isDown) {
    if (isDown) {
      down.add(node);
      return;
    }
    down.remove(node);
    if (pulls != null) pulls.nodeUp(node); // and the pre-pull pods it missed
    skipped.entrySet().removeIf(e -> {
      Deployment d = e.getValue();
      if (!node.equals(d.getMetadata().getAnnotations().get(Labels.NODE_NAME))) return false;
      String revision = d.getSpec().getTemplate().getMetadata().getLabels().get(Labels.REVISION);
      String stamp = d.getMetadata().getAnnotations().get(Labels.DISPATCHED_AT);
      if (!(revision + "|" + stamp).equals(seen.get(e.getKey()))) return true; // replaced since: that one counts
      executor(d).execute(() -> run(d, node, revision, stamp, e.getKey(), "down"));
      return true;
    });
  }

  /** Every pull of an image on this node fails with this error (as a full disk or a refused credential would). */
  public void failPulls(String node, String error) {
    requireImages().failPulls(node, error);
  }

  public List<Dispatch> dispatches() { return List.copyOf(dispatches); }

  /** Each node's outages: old pod deleted to new pod Ready, in simulated seconds. */
  public Downtimes downtimes() { return downtimes; }

  /** The simulated time downtimes are measured on (real time unless images are modelled). */
  public SimulatedTime time() { return time; }

  /** The most image pulls that ran at once at each site (empty without an image model). */
  public Map<String, Integer> peakPullsPerSite() {
    return pulls == null ? Map.of() : pulls.peaks();
  }

  /** The images on a node now. */
  public Set<String> images(String node) {
    return requireImages().imagesOn(node);
  }

  private ImagePulls requireImages() {
    if (pulls == null) throw new IllegalStateException("this simulated kubelet models no images (see withImages)");
    return pulls;
  }

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
    if (down.contains(node)) {
      skipped.put(key, d); // started when the node is up again (setDown false), as a kubelet back online would
      return;
    }
    run(d, node, revision, stamp, key, before);
  }

  private void run(Deployment d, String node, String revision, String stamp, String key, String before) {
    // a Deployment this kubelet has never seen, made for a node that had none, has no older pods to remove;
    // skipping the pod LIST then matters at 10,000 nodes, where each LIST scans the whole mock API server
    if (before != null || d.getMetadata().getAnnotations().get(Labels.PREVIOUS_REVISION) != null) {
      if (deleteOtherRevisions(d, revision) > 0) downtimes.gone(release(d), node, time.now());
    }
    long delay;
    boolean fails;
    synchronized (random) {
      delay = minDelayMs + (maxDelayMs > minDelayMs ? (long) (random.nextDouble() * (maxDelayMs - minDelayMs)) : 0);
      fails = failing.contains(node) || (failRate > 0 && random.nextDouble() < failRate);
    }
    if (pulls == null) {
      executor(d).schedule(() -> startPod(d, node, revision, fails), delay, TimeUnit.MILLISECONDS);
      return;
    }
    // Recreate: the old pod is gone; the new one waits (Pending) for the images the node lacks
    String current = revision + "|" + stamp;
    pulls.need(node, d.getSpec().getTemplate().getSpec().getContainers(), key + "@" + current,
        waiting -> executor(d).execute(() -> writeWaiting(d, node, revision, waiting)),
        () -> {
          if (current.equals(seen.get(key))) {
            executor(d).schedule(() -> startPod(d, node, revision, fails), delay, TimeUnit.MILLISECONDS);
          }
        });
  }

  private static String release(Deployment d) {
    return d.getMetadata().getLabels().get(Labels.RELEASE);
  }

  private Pod pod(Deployment d, String revision) {
    return new PodBuilder()
        .withNewMetadata()
          .withName(d.getMetadata().getName() + "-" + revision)
          .withNamespace(d.getMetadata().getNamespace())
          .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
        .endMetadata()
        .withSpec(d.getSpec().getTemplate().getSpec())
        .build();
  }

  /** The new pod while its images are pulled (or its pull failed): Pending, not Ready. */
  private void writeWaiting(Deployment d, String node, String revision, List<PullStatuses.ContainerPull> waiting) {
    if (down.contains(node)) return;
    Pod pod = pod(d, revision);
    pod.setStatus(PullStatuses.waiting(waiting, clock.instant()));
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).createOr(op -> op.update());
    } catch (KubernetesClientException e) {
      log.debug("simulated kubelet could not write pod {}: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  private void startPod(Deployment d, String node, String revision, boolean fails) {
    if (down.contains(node)) return;
    String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    String waiting = image != null && image.contains(BAD_IMAGE_MARK) ? "ImagePullBackOff" : fails ? "CrashLoopBackOff" : null;
    Pod pod = new PodBuilder(pod(d, revision))
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
      if (waiting == null) {
        ready.put(node + "@" + revision, clock.instant());
        downtimes.ready(release(d), node, revision, time.now());
      }
    } catch (KubernetesClientException e) {
      log.debug("simulated kubelet could not write pod {}: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  /** Deletes the node's pods of the release on other revisions (not the operator's pre-pull pods); how many. */
  private int deleteOtherRevisions(Deployment d, String revision) {
    int deleted = 0;
    try {
      for (Pod p : client.pods().inNamespace(d.getMetadata().getNamespace())
          .withLabel(Labels.NODE, d.getMetadata().getLabels().get(Labels.NODE)).list().getItems()) {
        Map<String, String> l = p.getMetadata().getLabels();
        if (d.getMetadata().getLabels().get(Labels.RELEASE).equals(l.get(Labels.RELEASE)) && !revision.equals(l.get(Labels.REVISION))
            && !"true".equals(l.get(PREPULL_LABEL))) {
          client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
          deleted++;
        }
      }
    } catch (KubernetesClientException e) {
      log.debug("simulated kubelet could not delete old pods: {}", e.getMessage());
    }
    return deleted;
  }

  private void remove(Deployment d) {
    seen.remove(d.getMetadata().getNamespace() + "/" + d.getMetadata().getName());
    deleteOtherRevisions(d, "");
  }

  @Override
  public void close() {
    if (informer != null) informer.close();
    if (pulls != null) pulls.close();
    for (ScheduledExecutorService e : executors) e.shutdownNow();
  }
}
