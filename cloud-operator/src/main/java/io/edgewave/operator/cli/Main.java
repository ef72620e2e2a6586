package io.edgewave.operator.cli;

import java.util.Arrays;

/** edgewave: one jar, several subcommands. */
public final class Main {
  static final String USAGE = """
      usage: edgewave <command> [flags]
        run    run the operator against a cluster (kubeconfig or in-cluster config)
        demo   the whole product on an embedded API server and a simulated fleet
        plan   the waves a plan gives over a list of nodes (or the cluster's), and which are offline now
        status releases, their waves and failures (--watch to follow one)
        approve | pause | resume | abort | undo   act on a release (see 'edgewave status --help')
        crd    print the EdgeRelease CustomResourceDefinition
      As a kubectl plugin (bin/kubectl-edgewave on the PATH): kubectl edgewave status ...
      'edgewave <command> --help' lists a command's flags.""";

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (args[0]) {
        case "run" -> RunCommand.run(rest);
        case "demo" -> DemoCommand.run(rest);
        case "plan" -> PlanCommand.run(rest, java.time.Clock.systemUTC(), System.out, System.err,
            () -> new io.fabric8.kubernetes.client.KubernetesClientBuilder().build());
        case "status", "approve", "pause", "resume", "abort", "undo" -> {
          try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build()) {
            yield new ReleaseCommands(client, java.time.Clock.systemUTC(), System.out, System.err).run(args[0], rest);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            yield 1;
          }
        }
        case "crd" -> {
          System.out.print(io.edgewave.operator.api.CrdYaml.generate());
          yield 0;
        }
        default -> {
          System.err.println("edgewave: unknown command \"" + args[0] + "\"\n" + USAGE);
          yield 2;
        }
      };
    } catch (Flags.UsageException e) {
      System.err.println("edgewave " + args[0] + ": " + e.getMessage());
      return 2;
    }
  }
}
