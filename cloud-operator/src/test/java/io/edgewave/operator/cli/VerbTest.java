package io.edgewave.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The picocli command tree is the CLI: the help, the dispatch and the flags each verb accepts all come from it. */
class VerbTest {
  record Run(int code, String out, String err) {}

  /** Main as the terminal sees it: exit code, stdout, stderr. */
  static Run main(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static final List<String> VERBS = List.of("run", "demo", "plan", "status", "approve", "pause", "resume", "abort",
      "undo", "crd", "completion");

  /** The verbs the top-level help lists, read back from its text: "  name  summary" lines. */
  static List<String> listed(String help) {
    int from = help.indexOf("Commands:");
    return help.substring(from).lines().filter(l -> l.matches("  [a-z]+ +\\S.*")).map(l -> l.strip().split(" +")[0])
        .filter(v -> !v.equals("help")).toList();
  }

  static Map<String, CommandLine> verbs() {
    return Main.commandLine().getSubcommands();
  }

  @Test
  void helpListsEveryVerbInOrderAndTheExitCodes() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"help"}, new String[] {"-h"})) {
      Run r = main(args);
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().startsWith("Usage: edgewave [-hV] <command>"), r.out());
      assertEquals(VERBS, listed(r.out()), "every verb edgewave had, and completion");
      assertTrue(r.out().contains("Exit codes:"), r.out());
      assertTrue(r.out().matches("(?s).*\\n\\s+0\\s+ok.*\\n\\s+1\\s+failed.*\\n\\s+2\\s+usage.*"), r.out());
    }
  }

  @Test
  void noArgumentsAndUnknownCommandsPrintTheHelpAndExitTwo() {
    Run none = main();
    assertEquals(2, none.code());
    assertEquals(VERBS, listed(none.out()));
    Run unknown = main("deploy");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().startsWith("edgewave: unknown command \"deploy\""), unknown.err());
    assertEquals(VERBS, listed(unknown.err()));
  }

  @Test
  void everyVerbIsDispatchedAndAnswersHelpWithItsUsage() {
    for (String v : VERBS) {
      for (String help : List.of("--help", "-h")) {
        Run r = main(v, help);
        assertEquals(0, r.code(), v + ": " + r.err());
        assertTrue(r.out().startsWith("Usage: edgewave " + v), v + ": " + r.out());
        assertEquals(verbs().get(v).getUsageMessage(CommandLine.Help.Ansi.OFF), r.out().replaceAll("\u001B\\[[;\\d]*m", ""), v);
      }
      assertEquals(main(v, "--help").out(), main("help", v).out(), "edgewave help " + v);
    }
  }

  @Test
  void everyFlagIsInItsVerbsHelp() {
    for (String v : VERBS) {
      String usage = verbs().get(v).getUsageMessage(CommandLine.Help.Ansi.OFF);
      for (OptionSpec o : verbs().get(v).getCommandSpec().options()) {
        for (String name : o.names()) assertTrue(usage.contains(name), v + " documents " + name + ":\n" + usage);
        if (!o.usageHelp() && !o.versionHelp()) {
          assertTrue(o.description().length > 0 && !o.description()[0].isBlank(), v + " " + o.longestName());
        }
      }
    }
  }

  @Test
  void everyVerbRefusesAnUnknownFlagWithExitTwoNamingItAndTheKnownOnes() {
    for (String v : VERBS) {
      // a verb's required argument given, so the unknown flag is the only error
      String arg = v.equals("completion") ? "bash" : List.of("approve", "pause", "resume", "abort", "undo").contains(v)
          ? "scan-upload" : null;
      Run r = arg == null ? main(v, "--no-such-flag") : main(v, arg, "--no-such-flag");
      assertEquals(2, r.code(), v + ": " + r.out() + r.err());
      assertTrue(r.err().startsWith("edgewave " + v + ": unknown flag --no-such-flag"), r.err());
      TreeSet<String> known = new TreeSet<>();
      for (OptionSpec o : verbs().get(v).getCommandSpec().options()) {
        if (!o.usageHelp() && !o.versionHelp()) known.add(o.longestName());
      }
      assertTrue(r.err().strip().endsWith(known.isEmpty() ? "; this command takes no flags"
          : "; known flags: " + String.join(", ", known)), v + ": " + r.err());
    }
  }

  @Test
  void badValuesNameTheFlagAndExitTwo() {
    Run rate = main("demo", "--fail-rate", "2");
    assertEquals(2, rate.code());
    assertEquals("edgewave demo: --fail-rate \"2.0\" must be a number from 0.0 to 1.0", rate.err().strip());
    Run duration = main("demo", "--duration=10 minutes");
    assertEquals(2, duration.code());
    assertTrue(duration.err().startsWith("edgewave demo: --duration: \"10 minutes\" is not a duration"), duration.err());
    Run nodes = main("demo", "--nodes", "many");
    assertEquals(2, nodes.code());
    assertTrue(nodes.err().startsWith("edgewave demo: --nodes: "), nodes.err());
    Run output = main("status", "-o", "xml");
    assertEquals(2, output.code());
    assertTrue(output.err().startsWith("edgewave status: --output: expected one of [text, wide, json, yaml]"), output.err());
    Run missing = main("approve");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("NAME"), missing.err());
    Run two = main("pause", "a", "b");
    assertEquals(2, two.code());
    assertTrue(two.err().startsWith("edgewave pause: unexpected argument \"b\""), two.err());
  }

  @Test
  void typedOptionsShortAliasesAndDefaultsComeFromTheModel() {
    CommandLine status = Main.parse("status", "-w", "scan-upload", "-n", "logistics", "--interval", "5s", "-o", "yaml");
    var s = (ReleaseCommands.Status) status.getCommand();
    assertEquals("scan-upload", s.name, "-w takes no value, so the name after it is the release");
    assertTrue(s.watch);
    assertEquals("logistics", s.namespace);
    assertEquals(Duration.ofSeconds(5), s.interval);
    assertEquals(ReleaseCommands.Output.yaml, s.output);
    assertNull(s.timeout);

    CommandLine approve = Main.parse("approve", "--wave", "canary", "scan-upload");
    var a = (ReleaseCommands.Approve) approve.getCommand();
    assertEquals("scan-upload", a.name, "--wave takes a value, so canary is not the release");
    assertEquals("canary", a.wave);

    CommandLine all = Main.parse("status", "-A");
    var s2 = (ReleaseCommands.Status) all.getCommand();
    assertNull(s2.name);
    assertTrue(s2.allNamespaces);
    assertEquals(Duration.ofSeconds(2), s2.interval, "the default");
    assertEquals(ReleaseCommands.Output.text, s2.output);

    CommandLine plan = Main.parse("plan", "-f", "plan.yaml", "-o", "json");
    var p = (PlanCommand) plan.getCommand();
    assertEquals("plan.yaml", p.file);
    assertEquals(PlanCommand.Output.json, p.output);

    CommandLine demo = Main.parse("demo", "--nodes", "10", "--auto-approve", "false", "--compare-staging");
    var d = ((DemoCommand) demo.getCommand()).config();
    assertEquals(10, d.nodes());
    assertEquals(30, d.gpuBoxes(), "the default");
    assertTrue(d.compareStaging());
  }

  @Test
  void completionPrintsAScriptThatKnowsTheVerbsAndFlagsForBothShellsAndThePluginName() {
    for (String shell : List.of("bash", "zsh")) {
      Run r = main("completion", shell);
      assertEquals(0, r.code(), r.err());
      String script = r.out();
      assertTrue(script.contains("complete -F _complete_edgewave"), shell);
      assertTrue(script.contains("kubectl-edgewave"), "the plugin's own name is completed too");
      assertTrue(script.contains("bashcompinit"), "zsh runs it through bashcompinit");
      for (String v : VERBS) assertTrue(script.contains(v), shell + " knows " + v);
      for (String flag : List.of("--mqtt-broker", "--all-namespaces", "--watch", "--to-revision", "--rollback",
          "--nodes", "--output")) {
        assertTrue(script.contains(flag), shell + " knows " + flag);
      }
      assertTrue(script.contains("(\"text\" \"json\" \"yaml\")"), "the formats of -o are candidates");
    }
    Run bad = main("completion", "fish");
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("edgewave completion: "), bad.err());
  }

  /** kubectl (1.26+) runs kubectl_complete-edgewave, which asks __complete with the words after 'edgewave'. */
  @Test
  void kubectlPluginCompletionAnswersVerbsFlagsAndValuesInCobrasFormat() {
    assertEquals(List.of("status", ":4"), main("__complete", "st").out().lines().toList());
    assertEquals(List.of("approve", "abort", ":4"), main("__complete", "a").out().lines().toList());
    List<String> flags = main("__complete", "status", "scan-upload", "--w").out().lines().toList();
    assertEquals(List.of("--watch", ":4"), flags);
    assertEquals(List.of("json", ":4"), main("__complete", "status", "-o", "j").out().lines().toList());
    assertEquals(List.of(":0"), main("__complete", "plan", "-f", "").out().lines().toList(), "file names for -f");
    assertTrue(!main("--help").out().contains("__complete"), "hidden from the help");
  }
}
