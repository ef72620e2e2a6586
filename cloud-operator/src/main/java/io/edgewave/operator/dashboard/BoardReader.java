package io.edgewave.operator.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.fleet.NodeReadiness;
import io.edgewave.operator.plan.PlanException;
import io.edgewave.operator.plan.TargetNode;
import io.edgewave.operator.plan.WavePlanner;
import io.edgewave.operator.spec.EdgeReleaseValidator;
import io.edgewave.operator.rollout.FleetCache;
import io.edgewave.operator.rollout.NodeClassifier;
import io.edgewave.operator.rollout.ReleaseObserver;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the operator's informer caches and the probes' facts into a {@link FleetBoard} and keeps it, rendered as
 * JSON (plain and gzipped, with an ETag), for {@code maxAge}: however many pages poll, the board is built at most
 * once per {@code maxAge}. Reads only caches: a dashboard never adds load on the API server.
 */
public final class BoardReader {
  private static final Logger log = LoggerFactory.getLogger(BoardReader.class);
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** The board as served: JSON bytes, the same gzipped, and an ETag derived from the content. */
  public record Snapshot(byte[] json, byte[] gzip, String etag, Instant builtAt, Duration buildTime) {}

  private final FleetCache cache;
  private final FleetFacts facts;
  private final Clock clock;
  private final String siteLabel;
  private final Duration maxAge;
  private Snapshot last;

  public BoardReader(FleetCache cache, FleetFacts facts, Clock clock, String siteLabel, Duration maxAge) {
    this.cache = cache;
    this.facts = facts;
    this.clock = clock;
    this.siteLabel = siteLabel;
    this.maxAge = maxAge;
  }

  public synchronized Snapshot snapshot() {
    Instant now = clock.instant();
    if (last != null && Duration.between(last.builtAt(), now).compareTo(maxAge) < 0) return last;
    long t0 = System.nanoTime();
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(FleetBoard.build(read(now)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    last = new Snapshot(json, gzip(json), "\"" + Integer.toHexString(java.util.Arrays.hashCode(json)) + "-"
        + json.length + "\"", now, Duration.ofNanos(System.nanoTime() - t0));
    log.debug("dashboard board built in {} ms, {} bytes", last.buildTime().toMillis(), json.length);
    return last;
  }

  FleetBoard.Input read(Instant now) {
    List<Node> nodes = cache.nodes();
    List<FleetBoard.NodeRow> rows = new ArrayList<>(nodes.size());
    List<TargetNode> targets = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      rows.add(row(n, siteLabel));
      targets.add(new TargetNode(n.getMetadata().getName(), n.getMetadata().getLabels()));
    }
    List<FleetBoard.ReleaseInput> releases = new ArrayList<>();
    for (EdgeRelease er : cache.releases()) {
      String key = er.getMetadata().getNamespace() + "/" + er.getMetadata().getName();
      Set<String> selected = null;
      var validation = EdgeReleaseValidator.validate(er.getSpec());
      if (validation.valid()) {
        try {
          selected = new HashSet<>();
          for (TargetNode t : WavePlanner.plan(validation.policy(), targets, key).targets()) selected.add(t.name());
        } catch (PlanException e) {
          selected = null;
        }
      }
      var observed = ReleaseObserver.observe(er, nodes, cache.deployments(er), cache.pods(er));
      releases.add(new FleetBoard.ReleaseInput(er.getMetadata().getNamespace(), er.getMetadata().getName(),
          er.getStatus(), selected, observed.views(), er.getStatus() == null || er.getStatus().getRevision() == null
              ? null : NodeClassifier.siteEvidence(observed.views().values(), facts.view(),
                  er.getStatus().getRevision(), siteLabel), siteLabel, cache.staging(er)));
    }
    return new FleetBoard.Input(releases, rows, facts.view(), facts.ingestDegraded(), now);
  }

  static FleetBoard.NodeRow row(Node n, String siteLabel) {
    Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    String site = labels.getOrDefault(siteLabel, labels.getOrDefault("topology.kubernetes.io/zone", "(no site)"));
    FleetBoard.Liveness liveness = FleetBoard.Liveness.ONLINE;
    Instant since = null;
    String reason = null;
    String message = null;
    List<NodeCondition> conditions = n.getStatus() == null || n.getStatus().getConditions() == null
        ? List.of() : n.getStatus().getConditions();
    for (NodeCondition c : conditions) {
      if (NodeReadiness.PROBE_CONDITION.equals(c.getType()) && "False".equals(c.getStatus())) {
        liveness = "EdgeProbeOffline".equals(c.getReason()) ? FleetBoard.Liveness.OFFLINE : FleetBoard.Liveness.LOST;
        since = instant(c.getLastTransitionTime());
        reason = c.getReason();
        message = c.getMessage();
        break;
      }
      if ("Ready".equals(c.getType()) && !"True".equals(c.getStatus())) {
        liveness = FleetBoard.Liveness.OFFLINE;
        since = instant(c.getLastTransitionTime());
        reason = c.getReason() == null ? "NodeNotReady" : c.getReason();
        message = c.getMessage();
      }
    }
    int gpus = 0;
    Map<String, Quantity> capacity = n.getStatus() == null ? null : n.getStatus().getCapacity();
    if (capacity != null && capacity.get("nvidia.com/gpu") != null) {
      try {
        gpus = Quantity.getAmountInBytes(capacity.get("nvidia.com/gpu")).intValue();
      } catch (RuntimeException e) {
        gpus = 0;
      }
    }
    return new FleetBoard.NodeRow(n.getMetadata().getName(), site, liveness, since, reason, message, gpus);
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static byte[] gzip(byte[] data) {
    var out = new ByteArrayOutputStream(data.length / 4 + 64);
    try (var z = new GZIPOutputStream(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
