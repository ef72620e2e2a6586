package io.edgewave.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void unknownCommandAndBadFlagsExitTwo() {
    assertEquals(2, VerbTest.main("deploy").code());
    assertEquals(2, VerbTest.main("demo", "--nodez", "5").code());
    assertEquals(2, VerbTest.main("demo", "--nodes", "many").code());
    assertEquals(2, VerbTest.main("demo", "--nodes", "-1").code());
    assertEquals(0, VerbTest.main("demo", "--help").code());
  }

  @Test
  void flagErrorsNameTheFlagAndTheFix() {
    assertEquals("edgewave demo: --fail-rate \"2.0\" must be a number from 0.0 to 1.0",
        VerbTest.main("demo", "--fail-rate", "2").err().strip());
    assertTrue(VerbTest.main("demo", "--duration=10 minutes").err()
        .startsWith("edgewave demo: --duration: \"10 minutes\" is not a duration"));
    assertEquals("edgewave demo: --image-size \"lots\" must be a size such as 500Mi or 1G",
        VerbTest.main("demo", "--image-size", "lots").err().strip());
    assertEquals("edgewave demo: --auto-approve: 'yes' is not a boolean",
        VerbTest.main("demo", "--auto-approve", "yes").err().strip());
    assertEquals("edgewave status: --interval needs a value (D)", VerbTest.main("status", "--interval").err().strip());
  }
}
