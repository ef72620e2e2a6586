package io.edgewave.operator.plan;

import io.edgewave.protocol.Durations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AmountAndDurationTest {
  @Test
  void wavePercentagesRoundUpWithAtLeastOneAndFailureBudgetsRoundDown() {
    assertEquals(1, Amount.parse("10%").sizeOf(3));
    assertEquals(10, Amount.parse("10%").sizeOf(95));
    assertEquals(5, Amount.parse("50").sizeOf(5));
    assertEquals(0, Amount.parse("5%").budgetOf(19));
    assertEquals(1, Amount.parse("5%").budgetOf(20));
    assertEquals(2, Amount.parse("2").budgetOf(1));
  }

  @Test
  void badAmountsNameTheTextAndTheFix() {
    var e = assertThrows(IllegalArgumentException.class, () -> Amount.parse("10 %"));
    assertEquals("\"10 %\" is not a count or a percentage; write e.g. \"3\" or \"10%\"", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Amount.parse("120%"));
  }

  @Test
  void durationsReadAndWriteKubernetesStyle() {
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1s500ms"));
    assertEquals(Duration.ofDays(2), Durations.parse("2d"));
    assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("30 minutes"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("999999999999999d")).getMessage()
        .contains("too long a duration"), "an overflow names the text, not an ArithmeticException");
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("99999999999999999999s"));
  }
}
