package io.edgewave.operator.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.plan.Amount;
import org.junit.jupiter.api.Test;

/** The regular expressions cannot read a constant, so they are held to the limits here. */
class LimitsTest {
  @Test
  void sizeAndFailurePatternsStopAtTheLargestPercentageAsAmountDoes() {
    String most = Limits.MAX_PERCENT + "%";
    String over = (Limits.MAX_PERCENT + 1) + "%";
    for (String pattern : new String[] {Patterns.SIZE, Patterns.MAX_FAILURES}) {
      assertTrue(most.matches(pattern), pattern + " refuses " + most);
      assertFalse(over.matches(pattern), pattern + " accepts " + over);
    }
    assertEquals(Limits.MAX_PERCENT, Amount.parse(most).value());
    assertThrows(IllegalArgumentException.class, () -> Amount.parse(over));
  }

  @Test
  void aSizeMustBeAtLeastOneNodeAndABudgetMayBeZero() {
    assertFalse("0".matches(Patterns.SIZE));
    assertFalse("0%".matches(Patterns.SIZE));
    assertTrue("0".matches(Patterns.MAX_FAILURES));
    assertTrue("1%".matches(Patterns.SIZE));
  }
}
