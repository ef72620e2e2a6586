package io.edgewave.operator.cli;

import io.edgewave.probe.config.ProbeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * docs/cli.md, generated from the picocli model: every verb's help as 'edgewave VERB --help' prints it, and the
 * probe's. CliReferenceTest fails when the committed file differs; regenerate with the command in {@link #HOW}.
 */
public final class CliReference {
  static final String HOW = "mvn -o -q -pl cloud-operator -am test -Dtest=CliReferenceTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dedgewave.cli.regenerate=true";

  private CliReference() {}

  public static String markdown() {
    CommandLine root = Main.commandLine();
    StringBuilder b = new StringBuilder();
    b.append("# Command-line reference\n\n");
    b.append("Generated from the commands' picocli model by `CliReference`; `CliReferenceTest` fails when this file "
        + "drifts from it.\nRegenerate it with\n\n```sh\n" + HOW + "\n```\n\n");
    b.append("`bin/edgewave` runs `cloud-operator/target/edgewave.jar` (building it when missing); linked as "
        + "`kubectl-edgewave` on the PATH it is the kubectl plugin `kubectl edgewave`. Every verb takes `-h`/`--help`.\n"
        + "Shell completion: `source <(edgewave completion bash)` (or `zsh`); for `kubectl edgewave <TAB>` (kubectl "
        + "1.26+) put `bin/kubectl_complete-edgewave` on the PATH as well.\n\n");
    b.append("Exit codes (every verb):\n\n| code | meaning |\n| --- | --- |\n");
    for (Map.Entry<String, String> e : root.getCommandSpec().usageMessage().exitCodeList().entrySet()) {
      b.append("| ").append(e.getKey().strip()).append(" | ").append(e.getValue().strip()).append(" |\n");
    }
    b.append("\n");
    section(b, "edgewave", root);
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      if (e.getValue().getCommandSpec().usageMessage().hidden() || e.getKey().equals("help")) continue;
      section(b, "edgewave " + e.getKey(), e.getValue());
    }
    CommandLine probe = ProbeConfig.commandLine();
    b.append("## edgewave-probe\n\n`java -Xmx32m -jar edge-probe/target/edgewave-probe.jar`, on every edge node and "
        + "GPU box.\n\n```text\n").append(probe.getUsageMessage(Ansi.OFF).stripTrailing()).append("\n```\n");
    return b.toString();
  }

  private static void section(StringBuilder b, String title, CommandLine cl) {
    b.append("## ").append(title).append("\n\n```text\n").append(cl.getUsageMessage(Ansi.OFF).stripTrailing())
        .append("\n```\n\n");
  }

  /** Writes the reference to the file given (default docs/cli.md, from the repository root). */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "docs/cli.md");
    Files.writeString(file, markdown(), StandardCharsets.UTF_8);
    System.out.println("wrote " + file);
  }
}
