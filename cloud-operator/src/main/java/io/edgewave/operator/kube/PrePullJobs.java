package io.edgewave.operator.kube;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.PrePullJobObserver;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KubeEdge's ImagePrePullJob (operations.kubeedge.io/v1alpha1, cluster-scoped) as the staging object where cloudcore
 * serves it: one job per batch of nodes a reconcile stages, read back by {@link PrePullJobObserver}. Generic resources
 * with an explicit {@link ResourceDefinitionContext}, so nothing depends on discovery or on KubeEdge's Go types.
 *
 * <p>A cluster-scoped object cannot be owned by a namespaced release, so nothing garbage-collects these: labels name
 * the release (name and namespace), and {@link #cleanUp} deletes a job once its nodes are all updated, when a new
 * revision replaces the one it pulled, when the rollout is over or staging is off, and when the release is deleted
 * ({@link #deleteOf}); {@link #sweep} deletes jobs of releases that no longer exist (deleted while the operator was
 * down).
 */
public final class PrePullJobs {
  private static final Logger log = LoggerFactory.getLogger(PrePullJobs.class);
  public static final String GROUP = "operations.kubeedge.io";
  public static final String VERSION = "v1alpha1";
  public static final String PLURAL = "imageprepulljobs";
  public static final String KIND = "ImagePrePullJob";
  public static final String CRD = PLURAL + "." + GROUP;
  public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder().withGroup(GROUP)
      .withVersion(VERSION).withPlural(PLURAL).withKind(KIND).withNamespaced(false).build();
  /**
   * How long an answer about the CRD is trusted: KubeEdge is installed or removed rarely, and a reconcile must not
   * cost a lookup (there can be thousands a minute).
   */
  static final Duration DETECTION_TTL = Duration.ofMinutes(1);
  /** KubeEdge retries a failed pull on a node this many times: a registry hiccup is not a bad image. */
  static final int RETRIES = 2;
  private static final int MAX_READABLE = 150;

  private final KubernetesClient client;
  private final Clock clock;
  private volatile Detection detection;

  private record Detection(boolean served, Instant at) {}

  PrePullJobs(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Whether the cluster serves imageprepulljobs.operations.kubeedge.io/v1alpha1: its CRD exists and serves v1alpha1.
   * Looked up at most once per {@link #DETECTION_TTL}; a lookup that fails keeps the last answer.
   */
  boolean served() {
    Detection d = detection;
    Instant now = clock.instant();
    if (d != null && now.isBefore(d.at().plus(DETECTION_TTL))) return d.served();
    boolean served;
    try {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
      served = crd != null && crd.getSpec() != null && crd.getSpec().getVersions() != null && crd.getSpec().getVersions()
          .stream().anyMatch(v -> VERSION.equals(v.getName()) && Boolean.TRUE.equals(v.getServed()));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        served = false;
        if (d == null) log.info("may not read CRD {} (RBAC): staging uses pre-pull pods", CRD);
      } else if (d == null) {
        // never answered yet (a cold start, a new leader): deciding "not served" now would stage job-staged nodes
        // again as pods, over the site budget; the reconcile fails and is retried instead
        throw e;
      } else {
        log.debug("could not look CRD {} up: {}", CRD, e.getMessage());
        served = d.served();
      }
    }
    if (d == null || d.served() != served) log.info("{} {}", CRD, served ? "is served: Auto staging uses ImagePrePullJobs"
        : "is not served: Auto staging uses pre-pull pods");
    detection = new Detection(served, now);
    return served;
  }

  /**
   * Deterministic and unique per batch: the same release, revision and nodes give the same name (a retry after a lost
   * status write finds its job), any other batch another. Cluster-scoped, so the namespace is in it.
   */
  static String name(String namespace, String release, String revision, List<String> nodes) {
    String readable = ("edgewave-" + namespace + "-" + release).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    if (readable.length() > MAX_READABLE) readable = readable.substring(0, MAX_READABLE);
    readable = readable.replaceAll("^-+|-+$", "");
    String hash = Labels.sha256(namespace + '\0' + release + '\0' + revision + '\0' + String.join("\0",
        new TreeSet<>(nodes))).substring(0, 12);
    return readable + "-" + hash;
  }

  /**
   * The job for {@code nodes}. Images go only into {@code images}: no field of the spec becomes a command or a shell
   * string anywhere (KubeEdge's CVE-2026-62371 came from that), and {@link io.edgewave.operator.rollout.PrePullMethod}
   * hands only plain image references to a job.
   *
   * <p>v1alpha1 has two schemas: KubeEdge 1.16 to 1.19 read {@code timeoutSecondsOnEachNode} and
   * {@code retryTimesOnEachNode}, later versions {@code timeoutSeconds}, {@code retryTimes}, {@code concurrency} and
   * {@code failureTolerate}. Both are written; the API server prunes the fields its CRD does not have. Concurrency is
   * the batch size (KubeEdge's default 1 would pull one node at a time; the per-site budget is ours, already kept) and
   * failureTolerate 1 (KubeEdge's default 0.1 may stop the job's other nodes; a wave's maxFailures judges failures).
   * checkItems stays KubeEdge's default (disk).
   */
  static GenericKubernetesResource desired(EdgeRelease er, String revision, PodTemplateSpec template,
      List<String> nodes, Duration timeout) {
    String release = er.getMetadata().getName();
    String namespace = er.getMetadata().getNamespace();
    List<String> sorted = new ArrayList<>(new TreeSet<>(nodes));
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("images", PrePullPods.images(template));
    t.put("nodeNames", sorted);
    List<LocalObjectReference> secrets = template.getSpec().getImagePullSecrets();
    if (secrets != null && !secrets.isEmpty() && secrets.get(0).getName() != null) {
      t.put("imageSecrets", namespace + "/" + secrets.get(0).getName());
    }
    long seconds = Math.min(timeout.toSeconds(), Integer.MAX_VALUE);
    t.put("timeoutSeconds", seconds);
    t.put("timeoutSecondsOnEachNode", seconds);
    t.put("retryTimes", RETRIES);
    t.put("retryTimesOnEachNode", RETRIES);
    t.put("concurrency", sorted.size());
    t.put("failureTolerate", "1");
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(GROUP + "/" + VERSION)
        .withKind(KIND)
        .withNewMetadata()
          .withName(name(namespace, release, revision, sorted))
          .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.RELEASE, release, Labels.RELEASE_NAMESPACE,
              namespace, Labels.REVISION, revision, Labels.PREPULL, "true"))
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("imagePrePullTemplate", t)))
        .build();
  }

  /** Creates the batch's job; one already there (a retry after a lost status write) is left as it is. */
  void create(EdgeRelease er, String revision, PodTemplateSpec template, List<String> nodes, Duration timeout) {
    try {
      client.genericKubernetesResources(CONTEXT).resource(desired(er, revision, template, nodes, timeout)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
    }
  }

  /** Every job this operator made, fresh from the API server (jobs raise no events here, so there is no cache). */
  List<GenericKubernetesResource> list() {
    return client.genericKubernetesResources(CONTEXT).withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems();
  }

  /** The jobs of one release. */
  static List<GenericKubernetesResource> of(List<GenericKubernetesResource> jobs, String namespace, String release) {
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (GenericKubernetesResource j : jobs) {
      Map<String, String> l = j.getMetadata().getLabels();
      if (l != null && release.equals(l.get(Labels.RELEASE)) && namespace.equals(l.get(Labels.RELEASE_NAMESPACE))) {
        out.add(j);
      }
    }
    return out;
  }

  /**
   * Deletes the jobs of a release that have done their job: those of another revision, those whose nodes are all on
   * the revision, and all of them once the rollout is over or staging is off. One with a failed node of a rollout still
   * going stays: it is the record that the node's images cannot be pulled.
   *
   * @param updated nodes whose Deployment is on {@code revision}
   */
  int cleanUp(List<GenericKubernetesResource> jobs, String revision, Set<String> updated, boolean keepNone) {
    int deleted = 0;
    for (GenericKubernetesResource j : jobs) {
      if (j.getMetadata().getDeletionTimestamp() != null) continue;
      Map<String, String> l = j.getMetadata().getLabels();
      boolean done = keepNone || l == null || !revision.equals(l.get(Labels.REVISION))
          || updated.containsAll(PrePullJobObserver.nodes(j));
      if (done && delete(j)) deleted++;
    }
    return deleted;
  }

  /** Deletes the jobs of releases not in {@code existing} ("namespace/name"): deleted while the operator was down. */
  int sweep(List<GenericKubernetesResource> jobs, Set<String> existing) {
    int deleted = 0;
    for (GenericKubernetesResource j : jobs) {
      Map<String, String> l = j.getMetadata().getLabels();
      if (l == null || l.get(Labels.RELEASE) == null || l.get(Labels.RELEASE_NAMESPACE) == null) continue;
      if (existing.contains(l.get(Labels.RELEASE_NAMESPACE) + "/" + l.get(Labels.RELEASE))) continue;
      if (j.getMetadata().getDeletionTimestamp() == null && delete(j)) deleted++;
    }
    return deleted;
  }

  /** The release was deleted: its jobs go with it. */
  int deleteOf(String namespace, String release) {
    int deleted = 0;
    for (GenericKubernetesResource j : of(list(), namespace, release)) if (delete(j)) deleted++;
    return deleted;
  }

  private boolean delete(GenericKubernetesResource j) {
    try {
      client.genericKubernetesResources(CONTEXT).withName(j.getMetadata().getName()).delete();
      return true;
    } catch (KubernetesClientException e) {
      return false; // gone already, or the API is unwell: the next reconcile tries again
    }
  }
}
