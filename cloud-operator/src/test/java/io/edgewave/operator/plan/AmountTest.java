package io.edgewave.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AmountTest {
  /** Every total up to 1000, and a few large ones where total * percent no longer fits an int. */
  static final int[] TOTALS = IntStream.concat(IntStream.rangeClosed(0, 1000),
      IntStream.of(9_999, 10_001, 123_457, 1_000_000, 21_474_837, 21_474_838, Integer.MAX_VALUE - 1, Integer.MAX_VALUE))
      .toArray();

  @Test
  void sevenPercentOfAHundredNodesIsSevenNodes() {
    assertEquals(7, Amount.parse("7%").sizeOf(100));
  }

  @Test
  void twentyNinePercentOfAHundredNodesToleratesTwentyNineFailures() {
    assertEquals(29, Amount.parse("29%").budgetOf(100));
  }

  @Test
  void percentageWaveSizesAreTheExactQuotientRoundedUpAndAtLeastOne() {
    for (int p = 0; p <= 100; p++) {
      Amount a = Amount.parse(p + "%");
      for (int total : TOTALS) {
        int exact = exactPercent(total, p, RoundingMode.CEILING);
        int expected = total == 0 ? 0 : Math.max(1, exact);
        assertEquals(expected, a.sizeOf(total), () -> a + " of " + total);
      }
    }
  }

  @Test
  void percentageFailureBudgetsAreTheExactQuotientRoundedDown() {
    for (int p = 0; p <= 100; p++) {
      Amount a = Amount.parse(p + "%");
      for (int total : TOTALS) {
        assertEquals(exactPercent(total, p, RoundingMode.FLOOR), a.budgetOf(total), () -> a + " of " + total);
      }
    }
  }

  @Test
  void countsAreCappedByTheFleetForSizesButNotForBudgets() {
    assertEquals(3, Amount.parse("5").sizeOf(3));
    assertEquals(0, Amount.parse("5").sizeOf(0));
    assertEquals(1, Amount.parse("0").sizeOf(3));
    assertEquals(5, Amount.parse("5").budgetOf(3));
  }

  /** total * p / 100 in exact decimal arithmetic, rounded as asked. */
  private static int exactPercent(int total, int p, RoundingMode rounding) {
    return BigDecimal.valueOf(total).multiply(BigDecimal.valueOf(p))
        .divide(BigDecimal.valueOf(100), 0, rounding).intValueExact();
  }
}
