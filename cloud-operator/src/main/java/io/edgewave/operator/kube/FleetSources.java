package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.FleetCache;
import io.edgewave.operator.rollout.NodeStaging;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.fleet.NodeReadiness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informers the reconciler reads: Nodes (all), and the Deployments and Pods this operator manages, indexed by
 * release. Selectors are plain equality ones; anything finer is evaluated here, not by the API server.
 */
public final class FleetSources implements FleetCache {
  private static final String BY_RELEASE = "edgewave-release";
  private volatile InformerEventSource<Node, EdgeRelease> nodes;
  private volatile InformerEventSource<Deployment, EdgeRelease> deployments;
  private volatile InformerEventSource<Pod, EdgeRelease> pods;
  private volatile io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache<EdgeRelease> releases;
  /** Per release (namespace/name), the last reconcile's per-node staging; read by the dashboard's thread. */
  private final Map<String, Map<String, NodeStaging>> staging = new java.util.concurrent.ConcurrentHashMap<>();

  List<EventSource<?, EdgeRelease>> create(EventSourceContext<EdgeRelease> ctx) {
    releases = ctx.getPrimaryCache();
    nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, EdgeRelease.class)
        .withName("nodes")
        .withSecondaryToPrimaryMapper(n -> ctx.getPrimaryCache().list().map(ResourceID::fromResource)
            .collect(Collectors.toSet()))
        // Nodes report status every few seconds; only changes a rollout cares about wake the releases.
        .withOnUpdateFilter((next, old) -> !Objects.equals(next.getMetadata().getLabels(), old.getMetadata().getLabels())
            || NodeReadiness.online(next) != NodeReadiness.online(old))
        .build(), ctx);
    deployments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, EdgeRelease.class)
        .withName("deployments")
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(FleetSources::byLabel)
        .build(), ctx);
    pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, EdgeRelease.class)
        .withName("pods")
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(FleetSources::byLabel)
        .build(), ctx);
    deployments.addIndexers(Map.of(BY_RELEASE, FleetSources::releaseKey));
    pods.addIndexers(Map.of(BY_RELEASE, FleetSources::releaseKey));
    return List.of(nodes, deployments, pods);
  }

  @Override
  public List<EdgeRelease> releases() {
    var r = releases;
    return r == null ? List.of() : r.list().toList();
  }

  @Override
  public List<Node> nodes() {
    return nodes == null ? List.of() : nodes.list(n -> true).toList();
  }

  @Override
  public List<Deployment> deployments(EdgeRelease er) {
    return deployments == null ? List.of() : deployments.byIndex(BY_RELEASE, key(er));
  }

  @Override
  public List<Pod> pods(EdgeRelease er) {
    return pods == null ? List.of() : pods.byIndex(BY_RELEASE, key(er));
  }

  @Override
  public Map<String, NodeStaging> staging(EdgeRelease er) {
    return staging.getOrDefault(key(er), Map.of());
  }

  /** The reconcile's per-node staging replaces the last one; empty (no staging, invalid, deleted) removes it. */
  void staging(EdgeRelease er, Map<String, NodeStaging> nodes) {
    if (nodes.isEmpty()) staging.remove(key(er));
    else staging.put(key(er), nodes);
  }

  /** Our own writes go into the cache at once, so the next reconcile never acts on a stale Deployment. */
  void wrote(EdgeRelease er, Deployment written, Deployment previous) {
    if (deployments == null) return; // not started (a writer used on its own)
    ResourceID id = ResourceID.fromResource(er);
    if (previous == null) deployments.handleRecentResourceCreate(id, written);
    else deployments.handleRecentResourceUpdate(id, written, previous);
  }

  /** A pre-pull pod we created goes into the cache at once: the next reconcile counts it against the site budget. */
  void created(EdgeRelease er, Pod written) {
    if (pods == null) return;
    pods.handleRecentResourceCreate(ResourceID.fromResource(er), written);
  }

  private static String key(EdgeRelease er) {
    return er.getMetadata().getNamespace() + "/" + er.getMetadata().getName();
  }

  private static List<String> releaseKey(HasMetadata r) {
    String release = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Labels.RELEASE);
    return release == null ? List.of() : List.of(r.getMetadata().getNamespace() + "/" + release);
  }

  private static Set<ResourceID> byLabel(HasMetadata r) {
    String release = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Labels.RELEASE);
    return release == null ? Set.of() : Set.of(new ResourceID(release, r.getMetadata().getNamespace()));
  }
}
