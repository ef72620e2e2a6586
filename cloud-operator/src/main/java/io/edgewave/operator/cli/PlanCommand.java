package io.edgewave.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.protocol.Durations;
import io.edgewave.operator.plan.PlanException;
import io.edgewave.operator.plan.TargetNode;
import io.edgewave.operator.plan.Wave;
import io.edgewave.operator.plan.WavePlan;
import io.edgewave.operator.plan.WavePlanner;
import io.edgewave.operator.plan.WindowCalendar;
import io.edgewave.operator.spec.EdgeReleaseValidator;
import io.edgewave.operator.spec.WorkloadRevision;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A dry run: the waves a plan gives over a list of nodes, and the earliest each can start given the start time,
 * the windows and the bake times (as if every node updated at once). No cluster needed. An invalid plan exits 2
 * with the same field messages the operator would give.
 */
@Command(name = "plan", sortOptions = false,
    description = {"The waves a plan gives over a list of nodes (or the cluster's), and which are offline now.",
        "Nodes given with their status (kubectl's output, or the cluster's) are checked: those NotReady, cordoned or "
            + "flagged lost by the edge probe are listed as offline now; the operator would skip or wait for them.",
        "An invalid plan exits 2 with the field messages the operator would give."})
public final class PlanCommand implements Callable<Integer> {
  /** How the plan is printed: a table for people, or one document for scripts. */
  public enum Output { text, json, yaml }

  @Option(names = {"-f", "--file"}, paramLabel = "PLAN.yaml", description = "an EdgeRelease (required)")
  String file;
  @Option(names = "--nodes", paramLabel = "NODES.yaml|json",
      description = "a list of Node objects (e.g. kubectl get nodes -o yaml) or of {name, labels}; without it, the "
          + "Nodes of the cluster of the current kubeconfig context")
  String nodesFile;
  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text (default), json (one line) or yaml: {release, revision, targets, waves: [{name, nodes, "
          + "bakeTime, maxFailures, approval, earliestStart, offline, stagedAfter}], warnings}")
  Output output;
  @Option(names = "--at", paramLabel = "TIME",
      description = "plan from this moment instead of now (RFC 3339, e.g. 2026-12-05T22:00:00+08:00)")
  String at;

  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;
  private final Supplier<KubernetesClient> cluster;

  PlanCommand() {
    this(Clock.systemUTC(), System.out, System.err, () -> new KubernetesClientBuilder().build());
  }

  PlanCommand(Clock clock, PrintStream out, PrintStream err, Supplier<KubernetesClient> cluster) {
    this.clock = clock;
    this.out = out;
    this.err = err;
    this.cluster = cluster;
  }

  /** The verb with its own clock, streams and cluster (tests); exit codes and messages as 'edgewave plan'. */
  public static int run(String[] args, Clock clock, PrintStream out, PrintStream err, Supplier<KubernetesClient> cluster) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        return cls == PlanCommand.class ? cls.cast(new PlanCommand(clock, out, err, cluster))
            : CommandLine.defaultFactory().create(cls);
      }
    };
    String[] all = new String[args.length + 1];
    all[0] = "plan";
    System.arraycopy(args, 0, all, 1, args.length);
    return Main.configure(Main.commandLine(factory), out, err).execute(all);
  }

  @Override
  public Integer call() {
    if (file == null) throw new UsageException("-f PLAN is required");
    EdgeRelease er;
    NodeList nodeList;
    try {
      er = Serialization.unmarshal(Files.readString(Path.of(file)), EdgeRelease.class);
    } catch (IOException | RuntimeException e) {
      err.println("edgewave plan: cannot read " + file + ": " + e.getMessage());
      return 2;
    }
    try {
      if (nodesFile != null) {
        nodeList = nodes(Files.readString(Path.of(nodesFile)));
      } else {
        try (var client = cluster.get()) {
          nodeList = nodes(Serialization.asJson(client.nodes().list()));
        }
      }
    } catch (IOException | RuntimeException e) {
      err.println("edgewave plan: cannot read nodes from " + (nodesFile != null ? nodesFile : "the cluster (give --nodes FILE"
          + " to plan without one)") + ": " + e.getMessage());
      return 2;
    }
    List<TargetNode> nodes = nodeList.nodes();
    Set<String> offline = nodeList.offline();
    var validation = EdgeReleaseValidator.validate(er.getSpec());
    if (!validation.valid()) {
      validation.errors().forEach(e -> err.println(e));
      return 2;
    }
    String name = er.getMetadata() == null || er.getMetadata().getName() == null ? "release" : er.getMetadata().getName();
    String ns = er.getMetadata() == null || er.getMetadata().getNamespace() == null ? "default" : er.getMetadata().getNamespace();
    WavePlan plan;
    try {
      plan = WavePlanner.plan(validation.policy(), nodes, ns + "/" + name);
    } catch (PlanException e) {
      err.println(e.getMessage());
      return 2;
    }
    Instant from;
    try {
      from = at == null ? clock.instant() : java.time.OffsetDateTime.parse(at).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new UsageException("--at: \"" + at + "\" is not an RFC 3339 time; write e.g. 2026-12-05T22:00:00+08:00");
    }
    List<Instant> starts = earliestStarts(plan, validation.policy(), from);
    List<String> warnings = warnings(plan);
    boolean staging = validation.policy().strategy().staging() != null;
    Long imageBytes = imageBytes(er);
    List<java.time.Duration> staged = staging && imageBytes != null
        ? io.edgewave.operator.plan.StagingEstimate.of(plan, io.edgewave.operator.rollout.NodeClassifier.SITE_LABEL,
            imageBytes) : null;
    if (output != Output.text) {
      List<Map<String, Object>> waves = new ArrayList<>();
      for (Wave w : plan.waves()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", w.name());
        m.put("nodes", w.nodes());
        m.put("bakeTime", Durations.format(w.policy().bakeTime()));
        m.put("maxFailures", w.maxFailures());
        m.put("approval", w.policy().approval());
        m.put("earliestStart", starts.get(w.index()) == null ? null : starts.get(w.index()).toString());
        if (nodeList.healthKnown()) m.put("offline", w.nodes().stream().filter(offline::contains).toList());
        if (staged != null) {
          m.put("stagedAfter", staged.get(w.index()) == null ? null : Durations.format(staged.get(w.index())));
        }
        waves.add(m);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("release", ns + "/" + name);
      doc.put("revision", WorkloadRevision.of(er.getSpec().getWorkload().getTemplate()));
      doc.put("targets", plan.size());
      doc.put("waves", waves);
      doc.put("warnings", warnings);
      out.println(output == Output.json ? Serialization.asJson(doc) : Serialization.asYaml(doc).stripTrailing());
      return Main.OK;
    }
    out.printf("%s/%s: %d targets in %d waves, revision %s%n", ns, name, plan.size(), plan.waves().size(),
        WorkloadRevision.of(er.getSpec().getWorkload().getTemplate()));
    out.printf("%-4s %-14s %6s %7s %8s %6s %-9s %-22s %s%n", "WAVE", "NAME", "NODES", "OFFLINE", "BAKE", "MAXF",
        "APPROVAL", "EARLIEST START (UTC)", "FIRST NODES");
    for (Wave w : plan.waves()) {
      Instant s = starts.get(w.index());
      long off = w.nodes().stream().filter(offline::contains).count();
      out.printf("%-4d %-14s %6d %7s %8s %6d %-9s %-22s %s%n", w.index() + 1, w.name(), w.nodes().size(),
          nodeList.healthKnown() ? String.valueOf(off) : "?",
          Durations.format(w.policy().bakeTime()), w.maxFailures(), w.policy().approval() ? "yes" : "-",
          s == null ? "never (no window)" : s.toString(), String.join(", ", w.nodes().subList(0, Math.min(3, w.nodes().size())))
              + (w.nodes().size() > 3 ? ", ..." : ""));
    }
    List<String> offTargets = plan.targets().stream().map(TargetNode::name).filter(offline::contains).sorted().toList();
    if (!nodeList.healthKnown()) {
      out.println("offline now: unknown (the node list has no status; use kubectl get nodes -o yaml, or no --nodes)");
    } else if (!offTargets.isEmpty()) {
      out.printf("offline now (%d): %s%s%n", offTargets.size(), String.join(", ", offTargets.subList(0, Math.min(20,
          offTargets.size()))), offTargets.size() > 20 ? ", ..." : "");
    } else {
      out.println("offline now: none of the targets");
    }
    localTimes(out, plan, validation.policy(), starts);
    for (String w : warnings) out.println("warning: " + w);
    if (staging) stagingLines(out, plan, staged, imageBytes);
    out.println("earliest start assumes every node of a wave updates at once; approvals add whatever time they take");
    return 0;
  }

  /** Each wave's earliest start in the local time of the sites it touches (their windows' zones). */
  static void localTimes(PrintStream out, WavePlan plan, io.edgewave.operator.plan.ReleasePolicy policy,
      List<Instant> starts) {
    WindowCalendar calendar = new WindowCalendar(policy.schedule().windows());
    Map<String, Map<String, String>> labels = new HashMap<>();
    for (TargetNode t : plan.targets()) labels.put(t.name(), t.labels());
    java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    for (Wave w : plan.waves()) {
      Instant s = starts.get(w.index());
      if (s == null || w.nodes().isEmpty()) continue;
      java.util.TreeSet<String> zones = new java.util.TreeSet<>();
      for (String n : w.nodes()) zones.add(calendar.zoneFor(labels.getOrDefault(n, Map.of())).getId());
      if (zones.equals(java.util.Set.of("Z")) || zones.equals(java.util.Set.of("UTC"))) continue;
      List<String> local = new ArrayList<>();
      for (String z : zones) local.add(f.format(s.atZone(java.time.ZoneId.of(z))) + " " + z);
      out.printf("local time: wave %s earliest %s UTC = %s%n", w.name(), f.format(s.atZone(java.time.ZoneOffset.UTC)),
          String.join(", ", local));
    }
  }

  /** The size of the release's new images, from its {@code edgewave.io/image-size} annotation, or null. */
  static Long imageBytes(EdgeRelease er) {
    var a = er.getMetadata() == null ? null : er.getMetadata().getAnnotations();
    String size = a == null ? null : a.get(io.edgewave.operator.plan.StagingEstimate.IMAGE_SIZE_ANNOTATION);
    if (size == null) return null;
    try {
      return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(size))
          .longValue();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void stagingLines(PrintStream out, WavePlan plan, List<java.time.Duration> staged, Long bytes) {
    if (bytes == null) {
      out.println("staging: no estimate; annotate the release with " + io.edgewave.operator.plan.StagingEstimate
          .IMAGE_SIZE_ANNOTATION + " (e.g. 500Mi) and label the nodes with " + io.edgewave.operator.plan
          .StagingEstimate.UPLINK_LABEL + " (their site's uplink, Mbit/s)");
      return;
    }
    for (Wave w : plan.waves()) {
      java.time.Duration d = staged.get(w.index());
      out.printf("staging: wave %s staged %s%n", w.name(), d == null ? "? (a site of it declares no "
          + io.edgewave.operator.plan.StagingEstimate.UPLINK_LABEL + ")" : "about " + Durations.format(
              java.time.Duration.ofMinutes((d.getSeconds() + 59) / 60))
          + " after the release is applied (its sites' uplinks shared by their pulls)");
    }
  }

  /** What the operator would hold on: a wave in front of others that matches no target gives no canary signal. */
  static List<String> warnings(WavePlan plan) {
    List<String> out = new ArrayList<>();
    for (Wave w : plan.waves()) {
      boolean later = plan.waves().stream().anyMatch(x -> x.index() > w.index() && !x.nodes().isEmpty());
      if (w.nodes().isEmpty() && later && !w.policy().allowEmpty()) {
        out.add("wave " + w.name() + " matches no target: the rollout would hold before it (NoCanarySignal); fix its "
            + "selector, or set allowEmpty: true on it");
      }
    }
    return out;
  }

  /** Wave k can start once wave k-1 has started and baked, after notBefore, when a window opens for any of its nodes. */
  static List<Instant> earliestStarts(WavePlan plan, io.edgewave.operator.plan.ReleasePolicy policy, Instant now) {
    WindowCalendar calendar = new WindowCalendar(policy.schedule().windows());
    Map<String, Map<String, String>> labels = new HashMap<>();
    for (TargetNode t : plan.targets()) labels.put(t.name(), t.labels());
    List<Instant> out = new ArrayList<>();
    Instant notBefore = policy.schedule().notBefore();
    Instant t = notBefore != null && notBefore.isAfter(now) ? notBefore : now;
    for (Wave w : plan.waves()) {
      Instant start = t;
      if (!w.nodes().isEmpty()) {
        start = null;
        for (String n : w.nodes()) {
          Instant open = calendar.nextOpening(t, labels.get(n)).orElse(null);
          if (open != null && (start == null || open.isBefore(start))) start = open;
        }
      }
      out.add(start);
      if (start == null) break;
      t = start.plus(w.policy().bakeTime());
    }
    while (out.size() < plan.waves().size()) out.add(null);
    return out;
  }

  /** The nodes, those of them offline now, and whether the input said (Node objects with a status do). */
  record NodeList(List<TargetNode> nodes, Set<String> offline, boolean healthKnown) {}

  /** Node objects (a List, an array, or kubectl's "items") or plain {name, labels} entries. */
  static NodeList nodes(String text) {
    JsonNode root = Serialization.unmarshal(text, JsonNode.class);
    JsonNode items = root.isArray() ? root : root.get("items");
    if (items == null || !items.isArray()) throw new IllegalArgumentException("--nodes must hold a list of nodes");
    List<TargetNode> out = new ArrayList<>();
    Set<String> offline = new java.util.TreeSet<>();
    boolean known = false;
    for (JsonNode n : items) {
      JsonNode meta = n.has("metadata") ? n.get("metadata") : n;
      String name = meta.path("name").asText(null);
      if (name == null) throw new IllegalArgumentException("a node without a name: " + n);
      Map<String, String> labels = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("labels").fields(); it.hasNext(); ) {
        var e = it.next();
        labels.put(e.getKey(), e.getValue().asText());
      }
      out.add(new TargetNode(name, labels));
      if (n.path("status").has("conditions")) {
        known = true;
        var node = Serialization.jsonMapper().convertValue(n, io.fabric8.kubernetes.api.model.Node.class);
        if (!io.edgewave.operator.fleet.NodeReadiness.online(node)) offline.add(name);
      }
    }
    return new NodeList(out, offline, known);
  }
}
