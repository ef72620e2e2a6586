package io.edgewave.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The verb registry is the CLI: the help, the dispatch and the flags each verb accepts all come from it. */
class VerbTest {
  record Run(int code, String out, String err) {}

  /** Main as the terminal sees it: exit code, stdout, stderr. */
  static Run main(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  static List<String> registry() {
    return Arrays.stream(Verb.values()).map(v -> v.command).toList();
  }

  /** The verbs the top-level help lists, read back from its text: "  name  summary" lines. */
  static List<String> listed(String help) {
    return help.lines().filter(l -> l.matches("  [a-z]+ +\\S.*")).map(l -> l.strip().split(" +")[0]).toList();
  }

  @Test
  void helpListsExactlyTheRegistryVerbsInOrder() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"help"})) {
      Run r = main(args);
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().startsWith("usage: edgewave <command> [flags]"), r.out());
      assertEquals(registry(), listed(r.out()));
    }
    assertEquals(List.of("run", "demo", "plan", "status", "approve", "pause", "resume", "abort", "undo", "crd"),
        registry(), "every verb edgewave had before the registry is still there");
  }

  @Test
  void noArgumentsAndUnknownCommandsPrintTheHelpAndExitTwo() {
    Run none = main();
    assertEquals(2, none.code());
    assertEquals(registry(), listed(none.out()));
    Run unknown = main("deploy");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().startsWith("edgewave: unknown command \"deploy\""), unknown.err());
    assertEquals(registry(), listed(unknown.err()));
  }

  @Test
  void everyVerbIsDispatchedAndAnswersHelpWithItsUsage() {
    for (Verb v : Verb.values()) {
      Run r = main(v.command, "--help");
      assertEquals(0, r.code(), v.command + ": " + r.err());
      assertEquals(v.usage + System.lineSeparator(), r.out(), v.command);
      assertTrue(v.usage.startsWith("usage: edgewave "), v.command);
      assertTrue(v.usage.contains("edgewave " + v.command), v.command + "'s usage names it");
    }
  }

  @Test
  void everyVerbRefusesAFlagNotInTheRegistryWithExitTwo() {
    for (Verb v : Verb.values()) {
      Run r = main(v.command, "--no-such-flag");
      assertEquals(2, r.code(), v.command + ": " + r.out() + r.err());
      assertTrue(r.err().startsWith("edgewave " + v.command + ": unknown flag --no-such-flag"), r.err());
      String known = v.flagNames().isEmpty() ? "this command takes no flags"
          : "known flags: --" + String.join(", --", new TreeSet<>(v.flagNames()));
      assertTrue(r.err().strip().endsWith("; " + known), v.command + ": " + r.err());
    }
  }

  /** The flags a usage text documents, as --name or as its short alias. */
  static Set<String> documented(String usage, List<Verb.Flag> flags) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w-])--([a-z][a-z-]*[a-z])").matcher(usage);
    while (m.find()) names.add(m.group(1));
    for (Verb.Flag f : flags) {
      if (f.alias() != null && Pattern.compile("(?<![\\w-])" + f.alias() + "(?![\\w-])").matcher(usage).find()) {
        names.add(f.name());
      }
    }
    return names;
  }

  /** A flag added to the registry and not to the usage, or the other way round, fails here. */
  @Test
  void everyVerbsUsageDocumentsExactlyItsRegistryFlags() {
    for (Verb v : Verb.values()) {
      if (ReleaseCommands.VERBS.contains(v)) continue;
      assertEquals(new TreeSet<>(v.flagNames()), documented(v.usage, v.flags), v.command);
    }
    // the release verbs share one usage text: it documents each one's flags and no flag none of them accepts
    Set<String> union = new TreeSet<>();
    List<Verb.Flag> flags = new ArrayList<>();
    for (Verb v : ReleaseCommands.VERBS) {
      assertEquals(ReleaseCommands.HELP, v.usage, v.command);
      assertTrue(documented(v.usage, v.flags).containsAll(v.flagNames()), v.command);
      union.addAll(v.flagNames());
      flags.addAll(v.flags);
    }
    assertEquals(union, documented(ReleaseCommands.HELP, flags));
  }

  @Test
  void namesAndAliasesAreUniqueWithinAVerb() {
    Set<String> verbs = new HashSet<>();
    for (Verb v : Verb.values()) {
      assertTrue(verbs.add(v.command), "verb " + v.command + " twice");
      Set<String> seen = new HashSet<>();
      for (Verb.Flag f : v.flags) {
        assertTrue(seen.add("--" + f.name()), v.command + ": --" + f.name() + " twice");
        if (f.alias() != null) {
          assertTrue(f.alias().matches("-[a-zA-Z]"), v.command + ": alias " + f.alias());
          assertTrue(seen.add(f.alias()), v.command + ": " + f.alias() + " twice");
        }
      }
    }
  }

  @Test
  void shortAliasesAndValuedFlagsComeFromTheRegistry() {
    var status = ReleaseCommands.Args.parse(new String[] {"-w", "scan-upload", "-n", "logistics", "--interval", "5s"},
        Verb.STATUS);
    assertEquals("scan-upload", status.name(), "-w takes no value, so the name after it is the release");
    assertTrue(status.flags().bool("watch"));
    assertEquals("logistics", status.flags().string("namespace", null));
    assertEquals("5s", status.flags().string("interval", null));

    var approve = ReleaseCommands.Args.parse(new String[] {"--wave", "canary", "scan-upload"}, Verb.APPROVE);
    assertEquals("scan-upload", approve.name(), "--wave takes a value, so canary is not the release");
    assertEquals("canary", approve.flags().string("wave", null));

    var all = ReleaseCommands.Args.parse(new String[] {"-A"}, Verb.STATUS);
    assertNull(all.name());
    assertTrue(all.flags().bool("all-namespaces"));

    var plan = Verb.PLAN.parse(new String[] {"-f", "plan.yaml", "-o", "json"});
    assertEquals("plan.yaml", plan.string("file", null));
    assertEquals("json", plan.string("output", null));
  }
}
