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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What ops do to a release from a terminal, as Argo Rollouts' kubectl plugin does for its users: status (optionally
 * watched), approve, pause, resume, abort, undo. Each write is one small change to the EdgeRelease (an annotation
 * or spec field) that the operator acts on; nothing here touches Deployments or Nodes.
 */
public final class ReleaseCommands {
  static final Set<Phase> DONE = Set.of(Phase.Succeeded, Phase.Halted, Phase.RolledBack, Phase.Invalid);
  static final String HELP = """
      usage: edgewave status [NAME] [-n NS | -A] [--watch] [--interval 2s] [--timeout D]
             edgewave approve NAME [--wave W] [-n NS]     approve the wave that waits (or wave W)
             edgewave pause NAME [-n NS]                  stop starting nodes (spec.paused=true)
             edgewave resume NAME [-n NS]                 go on (spec.paused=false)
             edgewave abort NAME [--rollback] [-n NS]     halt this revision's rollout; --rollback also returns
                                                          updated nodes to their previous revision
             edgewave undo NAME [--to-revision R] [-n NS] roll out the previous revision's template again
      The namespace defaults to the kubeconfig context's. status --watch exits 0 when the release succeeds and 1
      when it halts, rolls back or is invalid.""";

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

  /** The verbs this class runs; their flags and short aliases are in {@link Verb}. */
  static final Set<Verb> VERBS = EnumSet.of(Verb.STATUS, Verb.APPROVE, Verb.PAUSE, Verb.RESUME, Verb.ABORT, Verb.UNDO);

  /** Positional NAME plus kubectl-style short flags, turned into long ones. */
  record Args(String name, Flags flags) {
    static Args parse(String[] args, Verb verb) {
      List<String> rest = new ArrayList<>();
      String name = null;
      for (int i = 0; i < args.length; i++) {
        String alias = verb.longName(args[i]);
        String a = alias == null ? args[i] : "--" + alias;
        if (a.startsWith("--") && verb.takesValue(a.substring(2)) && i + 1 < args.length) {
          rest.add(a);
          rest.add(args[++i]);
        } else if (a.startsWith("-")) {
          rest.add(a);
        } else if (name == null) {
          name = a;
        } else {
          throw new Flags.UsageException("one release at a time: got \"" + name + "\" and \"" + a + "\"");
        }
      }
      return new Args(name, new Flags(rest.toArray(String[]::new), 0, verb.flagNames()));
    }
  }

  /** A release verb from the terminal: against the cluster of the current kubeconfig context. */
  static int onCluster(String command, String[] args) throws InterruptedException {
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      return new ReleaseCommands(client, Clock.systemUTC(), System.out, System.err).run(command, args);
    }
  }

  public int run(String command, String[] argv) throws InterruptedException {
    if (argv.length > 0 && (argv[0].equals("--help") || argv[0].equals("-h"))) {
      out.println(HELP);
      return 0;
    }
    Verb verb = Verb.named(command).filter(VERBS::contains)
        .orElseThrow(() -> new Flags.UsageException("unknown command " + command));
    Args a = Args.parse(argv, verb);
    if (verb != Verb.STATUS && a.name() == null) {
      throw new Flags.UsageException("which release? usage: edgewave " + command + " NAME [-n NAMESPACE]");
    }
    try {
      String ns = a.flags().string("namespace", client.getNamespace() == null ? "default" : client.getNamespace());
      return switch (verb) {
        case STATUS -> status(client, ns, a);
        case APPROVE -> approve(client, ns, a.name(), a.flags().string("wave", null));
        case PAUSE, RESUME -> pause(client, ns, a.name(), verb == Verb.PAUSE);
        case ABORT -> abort(client, ns, a.name(), a.flags().bool("rollback"));
        case UNDO -> undo(client, ns, a.name(), a.flags().string("to-revision", null));
        default -> throw new Flags.UsageException("unknown command " + command);
      };
    } catch (KubernetesClientException e) {
      err.println("edgewave " + command + ": the API server said: " + (e.getStatus() != null && e.getStatus().getMessage() != null
          ? e.getStatus().getMessage() : e.getMessage()));
      return 1;
    }
  }

  private EdgeRelease get(KubernetesClient client, String ns, String name) {
    EdgeRelease er = client.resources(EdgeRelease.class).inNamespace(ns).withName(name).get();
    if (er == null) throw new Flags.UsageException("no EdgeRelease \"" + name + "\" in namespace " + ns + " (use -n NAMESPACE)");
    return er;
  }

  private int status(KubernetesClient client, String ns, Args a) throws InterruptedException {
    boolean watch = a.flags().bool("watch");
    Duration interval = a.flags().duration("interval", Duration.ofSeconds(2));
    Duration timeout = a.flags().duration("timeout", null);
    Instant until = timeout == null ? null : clock.instant().plus(timeout);
    boolean tty = out == System.out && System.console() != null;
    while (true) {
      String text;
      Phase phase = null;
      if (a.name() == null) {
        var op = a.flags().bool("all-namespaces") ? client.resources(EdgeRelease.class).inAnyNamespace()
            : client.resources(EdgeRelease.class).inNamespace(ns);
        text = table(op.list().getItems(), a.flags().bool("all-namespaces"));
      } else {
        EdgeRelease er = get(client, ns, a.name());
        text = detail(er, clock.instant());
        phase = er.getStatus() == null ? null : er.getStatus().getPhase();
      }
      if (watch && tty) out.print("\u001b[H\u001b[2J");
      out.print(text);
      out.flush();
      if (!watch) return 0;
      if (phase != null && DONE.contains(phase)) return phase == Phase.Succeeded ? 0 : 1;
      if (until != null && clock.instant().isAfter(until)) {
        err.println("edgewave status: --timeout " + timeout.toSeconds() + "s reached");
        return 1;
      }
      Thread.sleep(interval.toMillis());
      if (!tty) out.println("---");
    }
  }

  static String table(List<EdgeRelease> releases, boolean namespaces) {
    StringBuilder b = new StringBuilder();
    if (releases.isEmpty()) return "No EdgeReleases found.\n";
    List<EdgeRelease> sorted = new ArrayList<>(releases);
    sorted.sort(Comparator.comparing((EdgeRelease e) -> e.getMetadata().getNamespace()).thenComparing(e -> e.getMetadata().getName()));
    String fmt = (namespaces ? "%-16s " : "%s") + "%-22s %-17s %-16s %-24s %7s %6s %7s%n";
    b.append(String.format(fmt, namespaces ? "NAMESPACE" : "", "NAME", "PHASE", "WAVE", "PROGRESS", "READY", "FAILED", "OFFLINE"));
    for (EdgeRelease er : sorted) {
      EdgeReleaseStatus s = er.getStatus() == null ? new EdgeReleaseStatus() : er.getStatus();
      Counts t = s.getTotals() == null ? new Counts() : s.getTotals();
      String wave = s.getCurrentWaveName() == null ? "-" : s.getCurrentWaveName();
      b.append(String.format(fmt, namespaces ? er.getMetadata().getNamespace() : "", er.getMetadata().getName(),
          s.getPhase() == null ? "Pending" : s.getPhase(), wave, bar(t.getReady(), t.getTargets(), 22),
          t.getReady() + "/" + t.getTargets(), t.getFailed(), t.getOffline()));
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
    if (s == null || s.getRevision() == null) throw new Flags.UsageException(name + " has not started a rollout yet");
    if (wave == null) {
      if (s.getPhase() != Phase.AwaitingApproval) {
        throw new Flags.UsageException(name + " is " + s.getPhase() + ", not waiting for an approval; name a wave"
            + " to approve ahead with --wave");
      }
      wave = s.getWaves().get(s.getCurrentWave() - 1).getName();
    }
    String w = wave;
    if (s.getWaves().stream().noneMatch(x -> x.getName().equals(w))) {
      throw new Flags.UsageException(name + " has no wave \"" + wave + "\"; its waves: "
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
    if (s == null || s.getRevision() == null) throw new Flags.UsageException(name + " has not started a rollout: nothing to abort");
    if (s.getPhase() == Phase.Invalid) {
      throw new Flags.UsageException(name + " is Invalid: fix its spec first (see its status message); the operator "
          + "acts on no annotation while the spec is invalid");
    }
    if (s.getPhase() == Phase.Succeeded && !rollback) {
      throw new Flags.UsageException(name + " already succeeded: nothing to halt; 'abort --rollback' returns the nodes"
          + " it moved, 'edgewave undo " + name + "' rolls the previous revision out in waves");
    }
    if (s.getPhase() == Phase.RolledBack || s.getPhase() == Phase.RollingBack
        || (s.getPhase() == Phase.Halted && !rollback)) {
      throw new Flags.UsageException(name + " is already " + s.getPhase() + (s.getPhase() == Phase.Halted
          ? "; add --rollback to return the nodes it moved" : ""));
    }
    if (!java.util.Objects.equals(er.getMetadata().getGeneration(), s.getObservedGeneration())) {
      throw new Flags.UsageException(name + " has a spec change the operator has not acted on yet (generation "
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
      throw new Flags.UsageException(name + " has no good revision to go back to"
          + (failed.isEmpty() ? "" : " (failed: " + String.join(", ", failed) + ")") + "; name one with --to-revision");
    }
    if (s != null && target.equals(s.getRevision())) {
      throw new Flags.UsageException(name + " already runs revision " + target);
    }
    if (failed.contains(target)) {
      err.println("warning: revision " + target + " halted or was rolled back before; it rolls out again in waves");
    }
    PodTemplateSpec template = new RevisionHistory(client).template(er, target);
    if (template == null) {
      throw new Flags.UsageException("revision " + target + " of " + name + " is no longer in its history"
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
