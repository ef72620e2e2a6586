package io.edgewave.operator.cli;

import java.util.Arrays;

/** edgewave: one jar, several subcommands, each a {@link Verb}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.out.println(Verb.help());
      return args.length == 0 ? 2 : 0;
    }
    Verb verb = Verb.named(args[0]).orElse(null);
    if (verb == null) {
      System.err.println("edgewave: unknown command \"" + args[0] + "\"\n" + Verb.help());
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (rest.length > 0 && rest[0].equals("--help")) {
      System.out.println(verb.usage);
      return 0;
    }
    try {
      return verb.action.run(rest);
    } catch (Flags.UsageException e) {
      System.err.println("edgewave " + verb.command + ": " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
