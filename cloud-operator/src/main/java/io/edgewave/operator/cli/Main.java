package io.edgewave.operator.cli;

import io.edgewave.protocol.Durations;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * edgewave: one jar, one picocli command tree. The tree is the CLI: the dispatch, every verb's flags with their
 * types and defaults, '--help', the completion scripts and docs/cli.md (CliReference) all come from it.
 */
@Command(name = "edgewave", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class, usageHelpWidth = Main.WIDTH, sortOptions = false,
    synopsisSubcommandLabel = "<command>",
    description = "Wave-based releases of EdgeRelease resources to KubeEdge edge nodes.",
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n", footer = {
        "As a kubectl plugin (bin/kubectl-edgewave on the PATH): kubectl edgewave status ...",
        "'edgewave <command> --help' lists a command's flags."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:ok; status --watch: the release succeeded",
        "1:failed: the API server refused or could not be reached, the demo failed, status --watch saw the release "
            + "halt, roll back or become invalid, or --timeout passed",
        "2:usage: an unknown command or flag, a bad value, an invalid plan, no such release, or a verb that does not "
            + "apply to the release now (the message says why)"},
    subcommands = {RunCommand.class, DemoCommand.class, PlanCommand.class, ReleaseCommands.Status.class,
        ReleaseCommands.Approve.class, ReleaseCommands.Pause.class, ReleaseCommands.Resume.class,
        ReleaseCommands.Abort.class, ReleaseCommands.Undo.class, CrdCommand.class, CompletionCommand.class,
        CompletionCommand.Candidates.class, CommandLine.HelpCommand.class})
public final class Main {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  /** Fixed, so help and docs/cli.md do not depend on the terminal they were made on. */
  static final int WIDTH = 110;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = configure(commandLine(), out, err);
    if (args.length == 0) {
      cl.usage(out);
      return USAGE;
    }
    return cl.execute(args);
  }

  /** The whole command tree, with its converters; nothing bound to a terminal yet. */
  public static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /** The tree with its verbs made by this factory (tests give a verb its own clock, streams or cluster). */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    CommandLine cl = new CommandLine(new Main(), factory);
    cl.registerConverter(Duration.class, text -> {
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    });
    cl.setUsageHelpWidth(WIDTH);
    // a flag given twice: the last one wins, as it always did; an argument starting with @ is a value, not a file
    cl.setOverwrittenOptionsAllowed(true).setExpandAtFiles(false);
    // the words of a half-typed command line, flags included, are __complete's arguments
    cl.getSubcommands().get("__complete").setUnmatchedOptionsArePositionalParams(true).setStopAtPositional(true);
    return cl;
  }

  /**
   * A verb's command line with these arguments parsed as 'edgewave VERB ARGS' parses them (subcommands are parsed
   * from the root: the help options they inherit live there).
   *
   * @throws CommandLine.ParameterException as picocli reports a bad command line; {@link #message} words it
   */
  public static CommandLine parse(String verb, String... args) {
    CommandLine root = commandLine();
    String[] all = new String[args.length + 1];
    all[0] = verb;
    System.arraycopy(args, 0, all, 1, args.length);
    root.parseArgs(all);
    return root.getSubcommands().get(verb);
  }

  /**
   * The exit codes and messages of the tree: a flag error names the flag ("edgewave demo: --nodes: ..."), a
   * {@link UsageException} is exit 2 with its message, anything else thrown is exit 1.
   */
  static CommandLine configure(CommandLine cl, PrintStream out, PrintStream err) {
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler((ex, argv) -> {
      CommandLine c = ex.getCommandLine();
      if (c.getCommand() instanceof Main && ex instanceof CommandLine.UnmatchedArgumentException u
          && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
        err.println("edgewave: unknown command \"" + u.getUnmatched().get(0) + "\"");
        c.usage(err);
        return USAGE;
      }
      err.println(prefix(c) + message(ex));
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof UsageException) {
        err.println(prefix(c) + ex.getMessage());
        return USAGE;
      }
      if (ex instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return FAILED;
      }
      throw ex;
    });
    return cl;
  }

  private static String prefix(CommandLine c) {
    return c.getCommand() instanceof Main ? "edgewave: " : "edgewave " + c.getCommandName() + ": ";
  }

  /** picocli's parse errors, reworded to name the flag first and say what it accepts. */
  static String message(ParameterException ex) {
    CommandLine c = ex.getCommandLine();
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      if (arg.startsWith("-")) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        TreeSet<String> known = new TreeSet<>();
        for (OptionSpec o : c.getCommandSpec().options()) {
          if (!o.usageHelp() && !o.versionHelp()) known.add(o.longestName());
        }
        return "unknown flag " + name + (known.isEmpty() ? "; this command takes no flags"
            : "; known flags: " + String.join(", ", known));
      }
      return "unexpected argument \"" + arg + "\"" + (c.getCommandSpec().positionalParameters().isEmpty()
          ? "; this command takes only flags" : "; one at a time");
    }
    ArgSpec arg = ex.getArgSpec();
    if (ex.getCause() instanceof CommandLine.TypeConversionException t && arg instanceof OptionSpec o) {
      return o.longestName() + ": " + t.getMessage();
    }
    if (ex instanceof CommandLine.MissingParameterException m && m.getMissing().size() == 1
        && m.getMissing().get(0) instanceof OptionSpec o && !o.required()) {
      return o.longestName() + " needs a value (" + o.paramLabel() + ")";
    }
    return ex.getMessage();
  }

  /** A whole number within a range, or a usage error naming the flag. */
  static int within(String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw new UsageException(flag + " \"" + value + "\" must be a whole number from " + min + " to " + max);
    }
    return value;
  }

  static double within(String flag, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new UsageException(flag + " \"" + value + "\" must be a number from " + min + " to " + max);
    }
    return value;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"edgewave " + (v == null ? "(development build)" : v)};
    }
  }
}
