package io.edgewave.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void unknownCommandAndBadFlagsExitTwo() {
    assertEquals(2, Main.run(new String[] {"deploy"}));
    assertEquals(2, Main.run(new String[] {"demo", "--nodez", "5"}));
    assertEquals(2, Main.run(new String[] {"demo", "--nodes", "many"}));
    assertEquals(0, Main.run(new String[] {"demo", "--help"}));
  }

  @Test
  void flagErrorsNameTheFlagAndTheFix() {
    var e = assertThrows(Flags.UsageException.class,
        () -> new Flags(new String[] {"--fail-rate", "2"}, 0, Set.of("fail-rate")).decimal("fail-rate", 0, 0, 1));
    assertEquals("--fail-rate \"2\" must be a number from 0.0 to 1.0", e.getMessage());
    var d = assertThrows(Flags.UsageException.class,
        () -> new Flags(new String[] {"--duration=10 minutes"}, 0, Set.of("duration")).duration("duration", null));
    assertTrue(d.getMessage().startsWith("--duration: \"10 minutes\" is not a duration"));
    assertEquals(Duration.ofSeconds(90), new Flags(new String[] {"--duration", "90s"}, 0, Set.of("duration")).duration("duration", null));
  }
}
