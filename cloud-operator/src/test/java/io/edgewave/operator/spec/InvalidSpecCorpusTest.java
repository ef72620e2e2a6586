package io.edgewave.operator.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every spec of the corpus is rejected, with a message that names the field at fault and says what to do. */
class InvalidSpecCorpusTest {
  @Test
  void everyBrokenSpecIsRejectedNamingItsField() throws Exception {
    List<InvalidSpecCorpus> corpus = InvalidSpecCorpus.all();
    assertTrue(corpus.size() >= 30, "the corpus has " + corpus.size() + " specs; keep at least 30");
    StringBuilder wrong = new StringBuilder();
    for (InvalidSpecCorpus c : corpus) {
      var result = EdgeReleaseValidator.validate(c.release().getSpec());
      if (result.valid()) {
        wrong.append(c.file()).append(": accepted\n");
      } else if (result.errors().stream().noneMatch(e -> e.field().equals(c.expectedField()))) {
        wrong.append(c.file()).append(": expected an error on ").append(c.expectedField()).append(", got ")
            .append(result.message()).append('\n');
      } else {
        assertFalse(result.message().isBlank());
        for (FieldError e : result.errors()) {
          assertTrue(e.message().length() > 10, c.file() + ": a message that says what to do: " + e);
        }
      }
    }
    assertTrue(wrong.isEmpty(), wrong.toString());
  }
}
