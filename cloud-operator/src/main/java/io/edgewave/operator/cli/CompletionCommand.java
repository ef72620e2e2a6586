package io.edgewave.operator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Shell completion from the command tree. 'edgewave completion bash|zsh' prints picocli's script (bash; zsh runs
 * it through bashcompinit), which completes 'edgewave' and 'kubectl-edgewave'. 'kubectl edgewave' is completed by
 * kubectl itself (1.26+): it runs bin/kubectl_complete-edgewave, which asks the hidden '__complete' verb below.
 */
@Command(name = "completion",
    description = {"Print a shell completion script for edgewave and kubectl-edgewave.",
        "bash: source <(edgewave completion bash)   zsh: source <(edgewave completion zsh)",
        "kubectl edgewave <TAB> (kubectl 1.26+) needs bin/kubectl_complete-edgewave on the PATH too."})
final class CompletionCommand implements Callable<Integer> {
  enum Shell { bash, zsh }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh")
  Shell shell;

  /** The script; the same for both shells (picocli's script sets up bashcompinit when run by zsh). */
  static String script(CommandLine root) {
    String s = AutoComplete.bash("edgewave", root);
    // the script completes the command it was generated for; kubectl-edgewave is the same command
    return s + "\ncomplete -F _complete_edgewave -o default kubectl-edgewave\n";
  }

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(script(spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return Main.OK;
  }

  /**
   * kubectl's plugin completion protocol: called with the words after 'kubectl edgewave', the last one being
   * completed (possibly empty); prints one candidate per line and a last line ':directive' (4: no file names,
   * 0: let the shell complete file names), as cobra's __complete does.
   */
  @Command(name = "__complete", hidden = true, description = "Completion candidates for kubectl's plugin completion.")
  static final class Candidates implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "WORD")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
      List<String> out = candidates(spec.root().commandLine(), words);
      out.forEach(spec.commandLine().getOut()::println);
      spec.commandLine().getOut().flush();
      return Main.OK;
    }
  }

  static List<String> candidates(CommandLine root, List<String> words) {
    List<String> ws = words.isEmpty() ? List.of("") : words;
    String prefix = ws.get(ws.size() - 1);
    CommandLine cur = root;
    OptionSpec pending = null;
    for (String w : ws.subList(0, ws.size() - 1)) {
      CommandLine sub = cur.getSubcommands().get(w);
      if (cur == root && sub != null) {
        cur = sub;
        continue;
      }
      OptionSpec o = w.startsWith("-") ? cur.getCommandSpec().findOption(w) : null;
      pending = o != null && o.arity().min() > 0 ? o : null;
    }
    List<String> out = new ArrayList<>();
    if (pending != null) {
      if (pending.completionCandidates() != null) {
        pending.completionCandidates().forEach(c -> { if (c.startsWith(prefix)) out.add(c); });
        out.add(":4");
      } else {
        out.add(":0");
      }
      return out;
    }
    if (prefix.startsWith("-")) {
      for (OptionSpec o : cur.getCommandSpec().options()) {
        if (o.hidden()) continue;
        for (String n : o.names()) if (n.startsWith(prefix)) out.add(n);
      }
    } else if (cur == root) {
      cur.getSubcommands().forEach((name, sub) -> {
        if (!sub.getCommandSpec().usageMessage().hidden() && name.startsWith(prefix)) out.add(name);
      });
    } else if (cur.getCommand() instanceof CompletionCommand) {
      for (Shell s : Shell.values()) if (s.name().startsWith(prefix)) out.add(s.name());
    }
    out.add(":4");
    return out;
  }
}
