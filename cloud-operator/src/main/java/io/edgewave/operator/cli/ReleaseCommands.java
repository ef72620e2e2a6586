package io.edgewave.operator.cli;

import io.edgewave.operator.api.v1alpha1.Condition;
import io.edgewave.operator.api.v1alpha1.Counts;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.FailureSample;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveSpec;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.kube.RevisionHistory;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What ops do to a release from a terminal, as Argo Rollouts' kubectl plugin does for its users: status (optionally
 * watched), approve, pause, resume, abort, undo. Each write is one small change to the EdgeRelease (an annotation
 * or spec field) that the operator acts on; nothing here touches Deployments or Nodes.
 */
public final class ReleaseCommands {
  static final Set<Phase> DONE = Set.of(Phase.Succeeded, Phase.Halted, Phase.RolledBack, Phase.Invalid);
  private final KubernetesClient client;
  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;

  public ReleaseCommands(KubernetesClient client, Clock clock, PrintStream out, PrintStream err) {
    this.client = client;
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  /**
   * A release verb as picocli fills it: the release's name and namespace and the verb's own flags. Run from the
   * command line, it talks to the cluster of the current kubeconfig context; {@link #run} runs it on a given client.
   */
  /** A verb on one release, named by its one parameter. */
  abstract static class OnOne extends Verb {
    @Parameters(paramLabel = "NAME", description = "the release")
    String name;

    @Override
    String name() {
      return name;
    }
  }

  abstract static class Verb implements Callable<Integer> {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
        description = "the release's namespace (default: the kubeconfig context's)")
    String namespace;

    /** The release named, or null (status: every release). */
    abstract String name();

    abstract int on(ReleaseCommands c, String ns) throws InterruptedException;

    @Override
    public Integer call() throws InterruptedException {
      try (KubernetesClient client = new KubernetesClientBuilder().build()) {
        return new ReleaseCommands(client, Clock.systemUTC(), System.out, System.err).execute(this);
      }
    }
  }

  /** How status prints: for people, or the status objects for scripts. */
  public enum Output { text, wide, json, yaml }

  @Command(name = "status", sortOptions = false,
      description = {"Releases, their waves and failures (--watch to follow one).",
          "With -o json|yaml: the status object of the release named ({name, namespace, generation, status}), "
              + "or a list of them; with --watch, one document per poll (json: one line each).",
          "status --watch exits 0 when the release succeeds and 1 when it halts, rolls back, is invalid or "
              + "--timeout passes."})
  static final class Status extends Verb {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "one release (default: every release)")
    String name;
    @Option(names = {"-A", "--all-namespaces"}, description = "every namespace")
    boolean allNamespaces;
    @Option(names = {"-w", "--watch"}, description = "print again every --interval until the release ends")
    boolean watch;
    @Option(names = "--interval", paramLabel = "D", defaultValue = "2s",
        description = "time between polls of --watch (default ${DEFAULT-VALUE})")
    Duration interval;
    @Option(names = "--timeout", paramLabel = "D", description = "give up watching after this long (exit 1)")
    Duration timeout;
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
        description = "text (default), wide (also when each release started and takes its next step, to the second), "
            + "json or yaml")
    Output output;

    @Override
    String name() {
      return name;
    }

    @Override
    int on(ReleaseCommands c, String ns) throws InterruptedException {
      return c.status(c.client, ns, this);
    }
  }

  @Command(name = "approve", description = "Let the wave that waits for approval (or --wave W) go.")
  static final class Approve extends OnOne {
    @Option(names = "--wave", paramLabel = "W", description = "approve this wave ahead (default: the one that waits)")
    String wave;

    @Override
    int on(ReleaseCommands c, String ns) {
      return c.approve(c.client, ns, name, wave);
    }
  }

  @Command(name = "pause", description = "Stop starting nodes (spec.paused=true); nodes already updating finish.")
  static final class Pause extends OnOne {

    @Override
    int on(ReleaseCommands c, String ns) {
      return c.pause(c.client, ns, name, true);
    }
  }

  @Command(name = "resume", description = "Go on (spec.paused=false).")
  static final class Resume extends OnOne {

    @Override
    int on(ReleaseCommands c, String ns) {
      return c.pause(c.client, ns, name, false);
    }
  }

  @Command(name = "abort", description = "Halt this revision's rollout (--rollback also returns updated nodes).")
  static final class Abort extends OnOne {
    @Option(names = "--rollback", description = "also return updated nodes to their previous revision")
    boolean rollback;

    @Override
    int on(ReleaseCommands c, String ns) {
      return c.abort(c.client, ns, name, rollback);
    }
  }

  @Command(name = "undo", description = "Roll out the previous revision's template again, in waves.")
  static final class Undo extends OnOne {
    @Option(names = "--to-revision", paramLabel = "R",
        description = "this revision (default: the previous one, unless it failed: then the last good one)")
    String toRevision;

    @Override
    int on(ReleaseCommands c, String ns) {
      return c.undo(c.client, ns, name, toRevision);
    }
  }

  /** The verbs this class runs, by name. */
  static final Set<String> VERBS = Set.of("status", "approve", "pause", "resume", "abort", "undo");

  /**
   * A release verb with this client, clock and streams: parsed as 'edgewave COMMAND ARGS' would be (a flag error
   * prints its message and is exit 2), then run; a {@link UsageException} is thrown to the caller.
   */
  public int run(String command, String[] argv) throws InterruptedException {
    if (!VERBS.contains(command)) throw new UsageException("unknown command " + command);
    CommandLine cl;
    try {
      cl = Main.parse(command, argv);
    } catch (CommandLine.ParameterException e) {
      err.println("edgewave " + command + ": " + Main.message(e));
      return Main.USAGE;
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(out);
      return Main.OK;
    }
    return execute((Verb) cl.getCommand());
  }

  int execute(Verb verb) throws InterruptedException {
    try {
      String ns = verb.namespace != null ? verb.namespace : client.getNamespace() == null ? "default" : client.getNamespace();
      return verb.on(this, ns);
    } catch (KubernetesClientException e) {
      err.println("edgewave " + verb.getClass().getAnnotation(Command.class).name() + ": the API server said: "
          + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
      return Main.FAILED;
    }
  }

  private EdgeRelease get(KubernetesClient client, String ns, String name) {
    EdgeRelease er = client.resources(EdgeRelease.class).inNamespace(ns).withName(name).get();
    if (er == null) throw new UsageException("no EdgeRelease \"" + name + "\" in namespace " + ns + " (use -n NAMESPACE)");
    return er;
  }

  private int status(KubernetesClient client, String ns, Status a) throws InterruptedException {
    boolean watch = a.watch;
    Duration interval = a.interval;
    Duration timeout = a.timeout;
    Instant until = timeout == null ? null : clock.instant().plus(timeout);
    boolean text = a.output == Output.text || a.output == Output.wide;
    boolean tty = text && out == System.out && System.console() != null;
    while (true) {
      String shown;
      Phase phase = null;
      if (a.name() == null) {
        var op = a.allNamespaces ? client.resources(EdgeRelease.class).inAnyNamespace()
            : client.resources(EdgeRelease.class).inNamespace(ns);
        List<EdgeRelease> all = op.list().getItems();
        shown = text ? table(all, a.allNamespaces, a.output == Output.wide, clock.instant()) : document(all.stream().sorted(ORDER).map(ReleaseCommands::statusObject)
            .toList(), a.output, watch);
      } else {
        EdgeRelease er = get(client, ns, a.name());
        shown = text ? detail(er, clock.instant()) : document(statusObject(er), a.output, watch);
        phase = er.getStatus() == null ? null : er.getStatus().getPhase();
      }
      if (watch && tty) out.print("\u001b[H\u001b[2J");
      out.print(shown);
      out.flush();
      if (!watch) return Main.OK;
      if (phase != null && DONE.contains(phase)) return phase == Phase.Succeeded ? Main.OK : Main.FAILED;
      if (until != null && clock.instant().isAfter(until)) {
        err.println("edgewave status: --timeout " + timeout.toSeconds() + "s reached");
        return Main.FAILED;
      }
      Thread.sleep(interval.toMillis());
      if (!tty && text) out.println("---");
    }
  }

  static final Comparator<EdgeRelease> ORDER = Comparator.comparing((EdgeRelease e) -> e.getMetadata().getNamespace())
      .thenComparing(e -> e.getMetadata().getName());

  /** What -o json|yaml prints of a release: who it is and its status object as the operator wrote it. */
  static Map<String, Object> statusObject(EdgeRelease er) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", er.getMetadata().getName());
    m.put("namespace", er.getMetadata().getNamespace());
    m.put("generation", er.getMetadata().getGeneration());
    m.put("status", er.getStatus());
    return m;
  }

  /** JSON pretty-printed (one line per document when watching, so each poll is one line), or a YAML document. */
  static String document(Object doc, Output output, boolean watch) {
    if (output == Output.yaml) return Serialization.asYaml(doc);
    try {
      return (watch ? Serialization.jsonMapper().writeValueAsString(doc)
          : Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc)) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String table(List<EdgeRelease> releases, boolean namespaces) {
    return table(releases, namespaces, false, Instant.now());
  }

  /** @param wide also the start and the next step: relative to now, and to the second in UTC */
  static String table(List<EdgeRelease> releases, boolean namespaces, boolean wide, Instant now) {
    StringBuilder b = new StringBuilder();
    if (releases.isEmpty()) return "No EdgeReleases found.\n";
    List<EdgeRelease> sorted = new ArrayList<>(releases);
    sorted.sort(ORDER);
    String fmt = (namespaces ? "%-16s " : "%s") + "%-22s %-17s %-16s %-24s %7s %6s %7s" + (wide ? "  %-36s %s" : "%s%s")
        + "%n";
    b.append(String.format(fmt, namespaces ? "NAMESPACE" : "", "NAME", "PHASE", "WAVE", "PROGRESS", "READY", "FAILED",
        "OFFLINE", wide ? "STARTED" : "", wide ? "NEXT STEP" : ""));
    for (EdgeRelease er : sorted) {
      EdgeReleaseStatus s = er.getStatus() == null ? new EdgeReleaseStatus() : er.getStatus();
      Counts t = s.getTotals() == null ? new Counts() : s.getTotals();
      String wave = s.getCurrentWaveName() == null ? "-" : s.getCurrentWaveName();
      String started = !wide ? "" : s.getStartedAt() == null ? "-"
          : ago(s.getStartedAt(), now) + " ago (" + seconds(s.getStartedAt()) + ")";
      String next = !wide ? "" : s.getNextStepAt() == null ? "-"
          : "in " + span(s.getNextStepAt(), now) + " (" + seconds(s.getNextStepAt()) + ")";
      b.append(String.format(fmt, namespaces ? er.getMetadata().getNamespace() : "", er.getMetadata().getName(),
          s.getPhase() == null ? "Pending" : s.getPhase(), wave, bar(t.getReady(), t.getTargets(), 22),
          t.getReady() + "/" + t.getTargets(), t.getFailed(), t.getOffline(), started, next));
    }
    return b.toString();
  }

  static String detail(EdgeRelease er, Instant now) {
    EdgeReleaseStatus s = er.getStatus() == null ? new EdgeReleaseStatus() : er.getStatus();
    StringBuilder b = new StringBuilder();
    b.append(String.format("Name:       %s%nNamespace:  %s%n", er.getMetadata().getName(), er.getMetadata().getNamespace()));
    b.append(String.format("Phase:      %s%s%n", s.getPhase() == null ? "Pending" : s.getPhase(),
        s.getMessage() == null ? "" : " - " + s.getMessage()));
    if (s.getNextStepAt() != null) {
      b.append(String.format("Next step:  in %s (%s)%n", span(s.getNextStepAt(), now), s.getNextStepAt()));
    }
    b.append(String.format("Revision:   %s%s%n", s.getRevision() == null ? "-" : s.getRevision(),
        s.getPreviousRevision() == null ? "" : " (previous " + s.getPreviousRevision() + ")"));
    if (er.getSpec() != null && Boolean.TRUE.equals(er.getSpec().getPaused())) b.append("Paused:     yes (spec.paused)\n");
    if (s.getStartedAt() != null) {
      b.append(String.format("Started:    %s ago (%s)%s%n", ago(s.getStartedAt(), now), seconds(s.getStartedAt()),
          s.getFinishedAt() == null ? "" : ", finished " + ago(s.getFinishedAt(), now) + " ago (" + seconds(s.getFinishedAt())
              + ")"));
    }
    Map<String, Boolean> approval = new HashMap<>();
    if (er.getSpec() != null && er.getSpec().getStrategy() != null && er.getSpec().getStrategy().getWaves() != null) {
      for (WaveSpec w : er.getSpec().getStrategy().getWaves()) approval.put(w.getName(), Boolean.TRUE.equals(w.getApproval()));
    }
    b.append("Waves:\n");
    for (int i = 0; i < s.getWaves().size(); i++) {
      WaveStatus w = s.getWaves().get(i);
      boolean current = s.getCurrentWave() != null && s.getCurrentWave() == i + 1;
      String mark = w.getCompletedAt() != null ? "done" : current ? "<- " + s.getPhase() : "";
      if (w.getStartedAt() == null && approval.getOrDefault(w.getName(), false) && w.getApprovedAt() == null) {
        mark = (mark.isEmpty() ? "" : mark + ", ") + "needs approval";
      }
      String staging = s.getStagingMethod() == null ? ""
          : String.format(" %4d staged %4d pulling", orZero(w.getStaged()), orZero(w.getStaging()));
      b.append(String.format("  %2d %-14s %s %5s ready %4d failed %4d offline %4d skipped%s  %s%n", i + 1, w.getName(),
          bar(w.getReady(), w.getTargets(), 20), w.getReady() + "/" + w.getTargets(), w.getFailed(), w.getOffline(),
          w.getSkipped(), staging, mark));
    }
    Counts t = s.getTotals();
    if (t != null) {
      b.append(String.format("Total:      %d/%d ready, %d updated, %d failed, %d offline, %d skipped%s%n", t.getReady(),
          t.getTargets(), t.getUpdated(), t.getFailed(), t.getOffline(), t.getSkipped(),
          (t.getUnhealthy() > 0 ? ", " + t.getUnhealthy() + " unhealthy since Ready (fleet health, not failures)" : "")
              + (t.getHeld() > 0 ? ", " + t.getHeld() + " held for probe facts" : "")
              + (t.getDeparted() > 0 ? ", " + t.getDeparted() + " left the targets" : "")));
    }
    if (s.getStagingMethod() != null && t != null) {
      b.append(String.format("Staging:    %d staged ahead, %d pulling (%s; failures count as failed)%n",
          orZero(t.getStaged()), orZero(t.getStaging()), s.getStagingMethod().equals("Pod") ? "pre-pull pods"
              : s.getStagingMethod()));
    }
    if (s.getRollout() != null) b.append(String.format("Rollout:    %s (approvals and aborts name it)%n", s.getRollout()));
    if (s.getJoined() != null) {
      b.append(String.format("Joined:     %d/%d ready, %d failed (targets that joined after every wave started)%n",
          s.getJoined().getReady(), s.getJoined().getTargets(), s.getJoined().getFailed()));
    }
    if (!s.getFailures().isEmpty()) {
      b.append("Failures (first ").append(s.getFailures().size()).append("):\n");
      for (FailureSample f : s.getFailures()) b.append(String.format("  %-32s %-14s %s%n", f.getNode(), f.getWave(), f.getReason()));
    }
    if (!s.getSkips().isEmpty()) {
      b.append("Skipped by preflight (first ").append(s.getSkips().size()).append("):\n");
      for (FailureSample f : s.getSkips()) b.append(String.format("  %-32s %-14s %s%n", f.getNode(), f.getWave(), f.getReason()));
    }
    if (!s.getConditions().isEmpty()) {
      b.append("Conditions:\n");
      for (Condition c : s.getConditions()) {
        b.append(String.format("  %-24s %-6s %-22s %s%n", c.getType(), c.getStatus(), c.getReason(),
            c.getMessage() == null ? "" : c.getMessage()));
      }
    }
    return b.toString();
  }

  private int approve(KubernetesClient client, String ns, String name, String wave) {
    EdgeRelease er = get(client, ns, name);
    EdgeReleaseStatus s = er.getStatus();
    if (s == null || s.getRevision() == null) throw new UsageException(name + " has not started a rollout yet");
    if (wave == null) {
      if (s.getPhase() != Phase.AwaitingApproval) {
        throw new UsageException(name + " is " + s.getPhase() + ", not waiting for an approval; name a wave"
            + " to approve ahead with --wave");
      }
      wave = s.getWaves().get(s.getCurrentWave() - 1).getName();
    }
    String w = wave;
    if (s.getWaves().stream().noneMatch(x -> x.getName().equals(w))) {
      throw new UsageException(name + " has no wave \"" + wave + "\"; its waves: "
          + String.join(", ", s.getWaves().stream().map(WaveStatus::getName).toList()));
    }
    String rollout = rollout(s);
    String entry = wave + "@" + rollout;
    String revision = s.getRevision();
    client.resources(EdgeRelease.class).inNamespace(ns).withName(name).edit(e -> {
      Map<String, String> ann = annotations(e);
      // keep approvals of this rollout attempt, drop those of older ones (an undo or a revert needs fresh ones)
      Set<String> keep = new LinkedHashSet<>();
      for (String part : ann.getOrDefault(Labels.APPROVE, "").split(",")) {
        if (part.strip().endsWith("@" + rollout)) keep.add(part.strip());
      }
      keep.add(entry);
      ann.put(Labels.APPROVE, String.join(",", keep));
      return e;
    });
    out.println(ns + "/" + name + ": wave " + wave + " of revision " + revision + " approved (" + Labels.APPROVE + ")");
    return 0;
  }

  private int pause(KubernetesClient client, String ns, String name, boolean paused) {
    get(client, ns, name);
    client.resources(EdgeRelease.class).inNamespace(ns).withName(name).edit(e -> {
      e.getSpec().setPaused(paused ? Boolean.TRUE : null);
      return e;
    });
    out.println(ns + "/" + name + (paused ? ": paused; nodes already updating finish, no node starts"
        : ": resumed"));
    EdgeReleaseStatus s = client.resources(EdgeRelease.class).inNamespace(ns).withName(name).get().getStatus();
    if (!paused && s != null && (s.getPhase() == Phase.Halted || s.getPhase() == Phase.RolledBack)) {
      out.println("note: " + name + " is " + s.getPhase() + ": resume lifts spec.paused only; a halted rollout stays"
          + " halted until spec.workload changes (a fix) or 'edgewave undo " + name + "'");
    }
    return 0;
  }

  private int abort(KubernetesClient client, String ns, String name, boolean rollback) {
    EdgeRelease er = get(client, ns, name);
    EdgeReleaseStatus s = er.getStatus();
    if (s == null || s.getRevision() == null) throw new UsageException(name + " has not started a rollout: nothing to abort");
    if (s.getPhase() == Phase.Invalid) {
      throw new UsageException(name + " is Invalid: fix its spec first (see its status message); the operator "
          + "acts on no annotation while the spec is invalid");
    }
    if (s.getPhase() == Phase.Succeeded && !rollback) {
      throw new UsageException(name + " already succeeded: nothing to halt; 'abort --rollback' returns the nodes"
          + " it moved, 'edgewave undo " + name + "' rolls the previous revision out in waves");
    }
    if (s.getPhase() == Phase.RolledBack || s.getPhase() == Phase.RollingBack
        || (s.getPhase() == Phase.Halted && !rollback)) {
      throw new UsageException(name + " is already " + s.getPhase() + (s.getPhase() == Phase.Halted
          ? "; add --rollback to return the nodes it moved" : ""));
    }
    if (!java.util.Objects.equals(er.getMetadata().getGeneration(), s.getObservedGeneration())) {
      throw new UsageException(name + " has a spec change the operator has not acted on yet (generation "
          + er.getMetadata().getGeneration() + ", status of " + s.getObservedGeneration() + "); try again in a moment,"
          + " so the abort names the rollout that is running");
    }
    // the operator honours an abort only for the attempt it names, so one left behind never stops a later rollout
    String value = rollout(s) + (rollback ? "/rollback" : "");
    client.resources(EdgeRelease.class).inNamespace(ns).withName(name).edit(e -> {
      annotations(e).put(Labels.ABORT, value);
      return e;
    });
    out.println(ns + "/" + name + ": revision " + s.getRevision() + " aborted" + (rollback
        ? "; updated nodes go back to their previous revision" : "; no more nodes start (add --rollback to return them)"));
    return 0;
  }

  /** The rollout attempt approvals and aborts must name (status written before attempts had names: revision and start). */
  static String rollout(EdgeReleaseStatus s) {
    if (s.getRollout() != null) return s.getRollout();
    return io.edgewave.operator.rollout.Progress.attempt(s.getRevision(),
        s.getStartedAt() == null ? null : java.time.Instant.parse(s.getStartedAt()));
  }

  private int undo(KubernetesClient client, String ns, String name, String toRevision) {
    EdgeRelease er = get(client, ns, name);
    EdgeReleaseStatus s = er.getStatus();
    List<String> failed = s == null || s.getFailedRevisions() == null ? List.of() : s.getFailedRevisions();
    String target = toRevision;
    if (target == null && s != null) {
      // back to the revision before, unless that one failed too: then to the last one that succeeded
      target = s.getPreviousRevision() != null && !failed.contains(s.getPreviousRevision()) ? s.getPreviousRevision()
          : s.getLastGoodRevision();
    }
    if (target == null) {
      throw new UsageException(name + " has no good revision to go back to"
          + (failed.isEmpty() ? "" : " (failed: " + String.join(", ", failed) + ")") + "; name one with --to-revision");
    }
    if (s != null && target.equals(s.getRevision())) {
      throw new UsageException(name + " already runs revision " + target);
    }
    if (failed.contains(target)) {
      err.println("warning: revision " + target + " halted or was rolled back before; it rolls out again in waves");
    }
    PodTemplateSpec template = new RevisionHistory(client).template(er, target);
    if (template == null) {
      throw new UsageException("revision " + target + " of " + name + " is no longer in its history"
          + " (ControllerRevision " + name + "-" + target + "); raise spec.workload.revisionHistoryLimit to keep more");
    }
    client.resources(EdgeRelease.class).inNamespace(ns).withName(name).edit(e -> {
      e.getSpec().getWorkload().setTemplate(template);
      e.getSpec().setPaused(null);
      return e;
    });
    out.println(ns + "/" + name + ": spec.workload.template set back to revision " + target
        + "; it rolls out in waves like any release");
    return 0;
  }

  private static Map<String, String> annotations(EdgeRelease e) {
    if (e.getMetadata().getAnnotations() == null) e.getMetadata().setAnnotations(new HashMap<>());
    return e.getMetadata().getAnnotations();
  }

  static String bar(int done, int total, int width) {
    int n = total == 0 ? 0 : (int) Math.round((double) done * width / total);
    return "[" + "#".repeat(Math.min(width, n)) + ".".repeat(Math.max(0, width - n)) + "]";
  }

  /** How long ago, for people: "3 m 12 s", "2 h 5 m", "3 d 4 h". */
  static String ago(String iso, Instant now) {
    try {
      return human(Duration.between(Instant.parse(iso), now));
    } catch (RuntimeException e) {
      return "?";
    }
  }

  /** How long until, for people; "now" once it has passed. */
  static String span(String iso, Instant now) {
    try {
      Duration d = Duration.between(now, Instant.parse(iso));
      return d.isNegative() || d.isZero() ? "a moment" : human(d);
    } catch (RuntimeException e) {
      return "?";
    }
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) return s + " s";
    if (s < 3600) return s / 60 + " m " + s % 60 + " s";
    if (s < 86400) return s / 3600 + " h " + s % 3600 / 60 + " m";
    return s / 86400 + " d " + s % 86400 / 3600 + " h";
  }

  /** An absolute time at second precision. */
  static String seconds(String iso) {
    try {
      return Instant.parse(iso).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    } catch (RuntimeException e) {
      return iso;
    }
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }
}
