package io.edgewave.operator.demo;

import io.edgewave.operator.demo.PullStatuses.ContainerPull;
import io.edgewave.operator.demo.PullStatuses.Stage;
import io.edgewave.protocol.DaemonThreads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image half of {@link SimulatedKubelet}: which images each node has, the pulls running ({@link SitePulls} on
 * {@link SimulatedTime}), the pods waiting for them, and the operator's pre-pull pods. One thread owns all of it;
 * status writes go through a second one, so a slow API server never delays a pull's end.
 *
 * <p>A pod needs the images of its containers; an image the node has is there at once, one that cannot be pulled
 * (its name carries {@link SimulatedKubelet#BAD_IMAGE_MARK}, or the node was told to fail pulls) fails at once
 * with ErrImagePull and shows ImagePullBackOff after the model's back-off, and any other joins the node's pull of
 * that image or starts one. Two pods on a node waiting for one image share one pull, as with a real runtime.
 */
final class ImagePulls implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ImagePulls.class);

  private final KubernetesClient client;
  private final ImageModel model;
  private final SimulatedTime time;
  private final Set<String> down;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(new DaemonThreads("simulated-kubelet-pulls"));
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(new DaemonThreads("simulated-kubelet-pull-status"));
  private final Map<String, String> failingNodes = new ConcurrentHashMap<>();
  // owned by thread
  private final SitePulls sites = new SitePulls();
  private final Map<String, Set<String>> present = new HashMap<>();
  private final Map<String, Flow> flows = new HashMap<>();
  private final Map<Long, Flow> flowsById = new HashMap<>();
  private final Map<String, Request> requests = new HashMap<>();
  private final Map<String, Uplink> uplinks = new HashMap<>();
  /** Pre-pull pods of nodes that were down when they came, by node and owner: served when the node is back. */
  private final Map<String, Map<String, Pod>> parked = new HashMap<>();
  private ScheduledFuture<?> tick;
  private SharedIndexInformer<Pod> prePulls;

  /** A node's pull of one image, and the pods (owners) waiting for it. */
  private static final class Flow {
    final long id;
    final String node;
    final String image;
    final Set<String> owners = new LinkedHashSet<>();

    Flow(long id, String node, String image) {
      this.id = id;
      this.node = node;
      this.image = image;
    }
  }

  /** A pod waiting for its images; report is told every change of its containers' stages (when asked to). */
  private static final class Request {
    final String owner;
    final String node;
    final List<ContainerPull> containers;
    final Consumer<List<ContainerPull>> report;
    final Runnable pulled;
    final boolean reportDone;

    Request(String owner, String node, List<ContainerPull> containers, Consumer<List<ContainerPull>> report,
        Runnable pulled, boolean reportDone) {
      this.owner = owner;
      this.node = node;
      this.containers = containers;
      this.report = report;
      this.pulled = pulled;
      this.reportDone = reportDone;
    }

    boolean done() { return containers.stream().allMatch(c -> c.stage() == Stage.PULLED); }
  }

  private record Uplink(String site, double bytesPerSecond) {}

  ImagePulls(KubernetesClient client, ImageModel model, SimulatedTime time, Set<String> down) {
    this.client = client;
    this.model = model;
    this.time = time;
    this.down = down;
  }

  /** Serves the operator's pre-pull pods from now on. */
  void start() {
    prePulls = client.pods().inAnyNamespace().withLabel(SimulatedKubelet.PREPULL_LABEL, "true")
        .inform(new ResourceEventHandler<>() {
          @Override public void onAdd(Pod p) { prePull(p); }
          @Override public void onUpdate(Pod old, Pod p) { }
          @Override public void onDelete(Pod p, boolean unknown) {
            thread.execute(() -> {
              Map<String, Pod> waiting = parked.get(p.getSpec().getNodeName());
              if (waiting != null) waiting.remove(owner(p));
              drop(owner(p));
            });
          }
        });
  }

  void failPulls(String node, String error) {
    failingNodes.put(node, error);
  }

  Map<String, Integer> peaks() {
    return onThread(sites::peaks);
  }

  Set<String> imagesOn(String node) {
    return onThread(() -> {
      Set<String> out = new HashSet<>(model.preloaded());
      out.addAll(present.getOrDefault(node, Set.of()));
      return Set.copyOf(out);
    });
  }

  /**
   * A workload pod on {@code node} needs the images of {@code containers}: {@code pulled} runs once they are all
   * there (at once if they are); while any is missing or failing, {@code report} gets the containers' stages.
   * A later need of the same owner replaces this one.
   */
  void need(String node, List<Container> containers, String owner, Consumer<List<ContainerPull>> report,
      Runnable pulled) {
    thread.execute(() -> serve(owner, node, containers, report, pulled, false));
  }

  /** A node is back: it serves the pre-pull pods that came while it was down. */
  void nodeUp(String node) {
    thread.execute(() -> {
      Map<String, Pod> waiting = parked.remove(node);
      if (waiting != null) waiting.values().forEach(this::prePull);
    });
  }

  private void prePull(Pod p) {
    String node = p.getSpec().getNodeName();
    if (node == null) return;
    if (down.contains(node)) { // a node that is down reports nothing until it is back
      thread.execute(() -> parked.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(owner(p), p));
      return;
    }
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    thread.execute(() -> serve(owner(p), node, p.getSpec().getContainers(),
        stages -> writer.execute(() -> writeStatus(ns, name, PullStatuses.prePull(stages, Instant.now()))),
        () -> { }, true));
  }

  private static String owner(Pod p) {
    return "pod:" + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  private void writeStatus(String namespace, String name, PodStatus status) {
    try {
      client.pods().inNamespace(namespace).withName(name).edit(p -> {
        p.setStatus(status);
        return p;
      });
    } catch (KubernetesClientException e) {
      log.debug("simulated kubelet could not write the status of pod {}/{}: {}", namespace, name, e.getMessage());
    }
  }

  private void serve(String owner, String node, List<Container> containers, Consumer<List<ContainerPull>> report,
      Runnable pulled, boolean reportDone) {
    drop(owner);
    List<ContainerPull> stages = new ArrayList<>();
    Request r = new Request(owner, node, stages, report, pulled, reportDone);
    for (Container c : containers) {
      String image = c.getImage();
      String error = error(node, image);
      if (has(node, image)) stages.add(ContainerPull.of(c.getName(), image, Stage.PULLED));
      else if (error != null) stages.add(new ContainerPull(c.getName(), image, Stage.ERR_IMAGE_PULL, error));
      else {
        stages.add(ContainerPull.of(c.getName(), image, Stage.PULLING));
        join(owner, node, image);
      }
    }
    if (r.done()) {
      if (reportDone) report.accept(List.copyOf(stages));
      pulled.run();
      settle();
      return;
    }
    requests.put(owner, r);
    report.accept(List.copyOf(stages));
    if (stages.stream().anyMatch(c -> c.stage() == Stage.ERR_IMAGE_PULL)) {
      thread.schedule(() -> backOff(r), time.realNanos(model.backOffSeconds()), TimeUnit.NANOSECONDS);
    }
    settle();
  }

  /** The kubelet keeps retrying a failed pull; between tries the container shows ImagePullBackOff. */
  private void backOff(Request r) {
    if (requests.get(r.owner) != r) return;
    r.containers.replaceAll(c -> c.stage() == Stage.ERR_IMAGE_PULL
        ? new ContainerPull(c.container(), c.image(), Stage.IMAGE_PULL_BACK_OFF, c.error()) : c);
    r.report.accept(List.copyOf(r.containers));
  }

  private boolean has(String node, String image) {
    return model.preloaded().contains(image) || present.getOrDefault(node, Set.of()).contains(image);
  }

  /** The registry's error for a pull of this image on this node, or null if it can be pulled. */
  private String error(String node, String image) {
    if (image != null && image.contains(SimulatedKubelet.BAD_IMAGE_MARK)) {
      return "rpc error: code = NotFound desc = failed to resolve reference \"" + image + "\": not found";
    }
    return failingNodes.get(node);
  }

  private void join(String owner, String node, String image) {
    Flow f = flows.get(node + "\0" + image);
    if (f == null) {
      Uplink u = uplink(node);
      long id = sites.start(u.site(), u.bytesPerSecond(), node, image, model.bytes(image), time.now());
      f = new Flow(id, node, image);
      flows.put(node + "\0" + image, f);
      flowsById.put(id, f);
    }
    f.owners.add(owner);
  }

  /** Forgets a pod that no longer waits; a pull nobody else waits for stops, freeing its share of the uplink. */
  private void drop(String owner) {
    Request r = requests.remove(owner);
    if (r == null) return;
    for (ContainerPull c : r.containers) {
      Flow f = flows.get(r.node + "\0" + c.image());
      if (f == null || !f.owners.remove(owner) || !f.owners.isEmpty()) continue;
      sites.cancel(f.id, time.now());
      flows.remove(r.node + "\0" + c.image());
      flowsById.remove(f.id);
    }
    settle();
  }

  /** Hands out the pulls finished by now and sets the timer for the next one. */
  private void settle() {
    for (SitePulls.Finished done : sites.advance(time.now())) {
      Flow f = flowsById.remove(done.pull().id());
      if (f == null) continue;
      flows.remove(f.node + "\0" + f.image);
      present.computeIfAbsent(f.node, n -> new HashSet<>()).add(f.image);
      for (String owner : f.owners) {
        Request r = requests.get(owner);
        if (r == null) continue;
        r.containers.replaceAll(c -> c.image().equals(f.image) && c.stage() == Stage.PULLING
            ? ContainerPull.of(c.container(), c.image(), Stage.PULLED) : c);
        if (r.done()) {
          requests.remove(owner);
          if (r.reportDone) r.report.accept(List.copyOf(r.containers));
          r.pulled.run();
        }
      }
    }
    if (tick != null) tick.cancel(false);
    OptionalDouble next = sites.nextFinish();
    if (next.isPresent()) {
      tick = thread.schedule(this::settle, time.realNanos(next.getAsDouble() - time.now()), TimeUnit.NANOSECONDS);
    }
  }

  private Uplink uplink(String node) {
    return uplinks.computeIfAbsent(node, n -> {
      Node k = null;
      try {
        k = client.nodes().withName(n).get();
      } catch (KubernetesClientException e) {
        log.debug("simulated kubelet could not read node {}: {}", n, e.getMessage());
      }
      Map<String, String> labels = k == null || k.getMetadata().getLabels() == null ? Map.of() : k.getMetadata().getLabels();
      double mbps = model.defaultUplinkMbps();
      try {
        if (labels.containsKey(SimulatedFleet.UPLINK_LABEL)) mbps = Double.parseDouble(labels.get(SimulatedFleet.UPLINK_LABEL));
      } catch (NumberFormatException e) {
        log.debug("node {}: {} is not a number; using {} Mbit/s", n, SimulatedFleet.UPLINK_LABEL, mbps);
      }
      return new Uplink(labels.getOrDefault(SimulatedFleet.SITE_LABEL, n), SitePulls.bytesPerSecond(mbps));
    });
  }

  private <T> T onThread(Callable<T> c) {
    try {
      return thread.submit(c).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    if (prePulls != null) prePulls.close();
    thread.shutdownNow();
    writer.shutdownNow();
  }
}
