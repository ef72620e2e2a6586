package io.edgewave.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/cli.md is what the picocli model says: a flag added, removed or reworded without regenerating fails here. */
class CliReferenceTest {
  static final Path DOC = Path.of("../docs/cli.md");

  @Test
  void theCommittedReferenceIsTheGeneratedOne() throws Exception {
    String generated = CliReference.markdown();
    if (Boolean.getBoolean("edgewave.cli.regenerate")) {
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
      System.out.println("regenerated " + DOC.toAbsolutePath().normalize());
    }
    String committed = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
    if (!generated.equals(committed)) {
      String[] g = generated.split("\n", -1);
      String[] c = committed.split("\n", -1);
      int line = 0;
      while (line < Math.min(g.length, c.length) && g[line].equals(c[line])) line++;
      assertEquals(generated, committed, "docs/cli.md drifted from the CLI at line " + (line + 1) + ": committed \""
          + (line < c.length ? c[line] : "(end)") + "\", generated \"" + (line < g.length ? g[line] : "(end)")
          + "\". Regenerate it: " + CliReference.HOW);
    }
  }

  @Test
  void theReferenceCoversEveryVerbTheExitCodesAndTheProbe() {
    String doc = CliReference.markdown();
    for (String v : VerbTest.VERBS) assertTrue(doc.contains("\n## edgewave " + v + "\n"), v);
    assertTrue(doc.contains("| 2 | usage"), doc);
    assertTrue(doc.contains("## edgewave-probe") && doc.contains("--password-file"), "the probe's flags");
    assertTrue(!doc.contains("__complete"), "hidden verbs stay hidden");
  }
}
