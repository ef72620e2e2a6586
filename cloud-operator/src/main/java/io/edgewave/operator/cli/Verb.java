package io.edgewave.operator.cli;

import io.edgewave.operator.api.CrdYaml;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every verb of the edgewave CLI, in the order 'edgewave --help' lists them: its name, the one line the help gives
 * it, the flags it accepts (Flags refuses any other), its usage text and what runs it. Main dispatches through
 * this list and generates its help from it, so adding a verb means adding a constant here, nothing else.
 */
enum Verb {
  RUN("run", "run the operator against a cluster (kubeconfig or in-cluster config)", RunCommand.HELP,
      List.of(Flag.value("leader-election"), Flag.value("lease-namespace"), Flag.value("lease-duration"),
          Flag.value("renew-deadline"), Flag.value("retry-period"), Flag.value("write-budget"), Flag.value("resync"),
          Flag.value("mqtt-broker"), Flag.value("mqtt-username"), Flag.value("mqtt-password-file"),
          Flag.value("mqtt-ca-file"), Flag.value("heartbeat-interval"), Flag.value("port"), Flag.value("site-label"),
          Flag.value("site-unreachable-share"),
          Flag.value("alert-webhooks"), Flag.value("alert-window"), Flag.value("alert-damping"),
          Flag.value("notify-webhooks"), Flag.value("notify-window")),
      RunCommand::run),
  DEMO("demo", "the whole product on an embedded API server and a simulated fleet", DemoCommand.HELP,
      List.of(Flag.value("nodes"), Flag.value("gpu-boxes"), Flag.value("fail-rate"), Flag.value("kill"),
          Flag.value("duration"), Flag.value("time-scale"), Flag.value("plans"), Flag.value("auto-approve"),
          Flag.value("seed"), Flag.value("heartbeat-interval"), Flag.value("port"), Flag.value("image-size"),
          Flag.value("uplink"), Flag.toggle("compare-staging")),
      DemoCommand::run),
  PLAN("plan", "the waves a plan gives over a list of nodes (or the cluster's), and which are offline now",
      PlanCommand.HELP, List.of(Flag.value("file", "-f"), Flag.value("nodes"), Flag.value("output", "-o")),
      args -> PlanCommand.run(args, Clock.systemUTC(), System.out, System.err, () -> new KubernetesClientBuilder().build())),
  STATUS("status", "releases, their waves and failures (--watch to follow one)", ReleaseCommands.HELP,
      List.of(Flag.value("namespace", "-n"), Flag.toggle("all-namespaces", "-A"), Flag.toggle("watch", "-w"),
          Flag.value("interval"), Flag.value("timeout")),
      args -> ReleaseCommands.onCluster("status", args)),
  APPROVE("approve", "let the wave that waits for approval (or --wave W) go", ReleaseCommands.HELP,
      List.of(Flag.value("namespace", "-n"), Flag.value("wave")), args -> ReleaseCommands.onCluster("approve", args)),
  PAUSE("pause", "stop starting nodes (spec.paused=true)", ReleaseCommands.HELP,
      List.of(Flag.value("namespace", "-n")), args -> ReleaseCommands.onCluster("pause", args)),
  RESUME("resume", "go on (spec.paused=false)", ReleaseCommands.HELP,
      List.of(Flag.value("namespace", "-n")), args -> ReleaseCommands.onCluster("resume", args)),
  ABORT("abort", "halt this revision's rollout (--rollback also returns updated nodes)", ReleaseCommands.HELP,
      List.of(Flag.value("namespace", "-n"), Flag.toggle("rollback")), args -> ReleaseCommands.onCluster("abort", args)),
  UNDO("undo", "roll out the previous revision's template again, in waves", ReleaseCommands.HELP,
      List.of(Flag.value("namespace", "-n"), Flag.value("to-revision")), args -> ReleaseCommands.onCluster("undo", args)),
  CRD("crd", "print the EdgeRelease CustomResourceDefinition", "usage: edgewave crd", List.of(), args -> {
    new Flags(args, 0, Set.of());
    System.out.print(CrdYaml.generate());
    return 0;
  });

  /** What a verb does with the arguments after its name; a Flags.UsageException means exit 2. */
  @FunctionalInterface
  interface Action {
    int run(String[] args) throws InterruptedException;
  }

  /**
   * A flag a verb accepts: its long name (given as --name), an optional short alias (-n), and whether it takes a
   * value, which the release verbs need to tell "--wave W NAME" from "--watch NAME".
   */
  record Flag(String name, String alias, boolean valued) {
    static Flag value(String name) {
      return new Flag(name, null, true);
    }

    static Flag value(String name, String alias) {
      return new Flag(name, alias, true);
    }

    static Flag toggle(String name) {
      return new Flag(name, null, false);
    }

    static Flag toggle(String name, String alias) {
      return new Flag(name, alias, false);
    }
  }

  final String command;
  final String summary;
  final String usage;
  final List<Flag> flags;
  final Action action;

  Verb(String command, String summary, String usage, List<Flag> flags, Action action) {
    this.command = command;
    this.summary = summary;
    this.usage = usage;
    this.flags = flags;
    this.action = action;
  }

  static Optional<Verb> named(String command) {
    return Arrays.stream(values()).filter(v -> v.command.equals(command)).findFirst();
  }

  /** The long names Flags accepts for this verb. */
  Set<String> flagNames() {
    return flags.stream().map(Flag::name).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** The long name of a short alias such as -n, or null when this verb has no such alias. */
  String longName(String alias) {
    return flags.stream().filter(f -> alias.equals(f.alias())).map(Flag::name).findFirst().orElse(null);
  }

  boolean takesValue(String name) {
    return flags.stream().anyMatch(f -> f.name().equals(name) && f.valued());
  }

  /** The arguments as Flags, short aliases (-f) read as their long names (--file). */
  Flags parse(String[] args) {
    String[] normalized = args.clone();
    for (int i = 0; i < normalized.length; i++) {
      String name = longName(normalized[i]);
      if (name != null) normalized[i] = "--" + name;
    }
    return new Flags(normalized, 0, flagNames());
  }

  /** 'edgewave --help': one line per verb, in registry order. */
  static String help() {
    int width = Arrays.stream(values()).mapToInt(v -> v.command.length()).max().orElse(0);
    StringBuilder b = new StringBuilder("usage: edgewave <command> [flags]\n");
    for (Verb v : values()) b.append(String.format("  %-" + width + "s  %s%n", v.command, v.summary));
    b.append("As a kubectl plugin (bin/kubectl-edgewave on the PATH): kubectl edgewave status ...\n");
    b.append("'edgewave <command> --help' lists a command's flags.");
    return b.toString();
  }
}
