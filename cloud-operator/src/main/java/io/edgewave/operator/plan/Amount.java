package io.edgewave.operator.plan;

import io.edgewave.operator.api.v1alpha1.Limits;
import java.util.regex.Pattern;

/** A count ("3") or a percentage ("10%") of some total. */
public record Amount(int value, boolean percent) {
  private static final Pattern TEXT = Pattern.compile("[0-9]{1,7}%?");

  public Amount {
    if (value < 0 || (percent && value > Limits.MAX_PERCENT)) throw new IllegalArgumentException("out of range: " + value);
  }

  public static Amount count(int n) { return new Amount(n, false); }

  /** @throws IllegalArgumentException naming the text and an example of what works */
  public static Amount parse(String text) {
    if (text == null || !TEXT.matcher(text).matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a count or a percentage; write e.g. \"3\" or \"10%\"");
    }
    boolean pct = text.endsWith("%");
    int v = Integer.parseInt(pct ? text.substring(0, text.length() - 1) : text);
    if (pct && v > Limits.MAX_PERCENT) {
      throw new IllegalArgumentException("\"" + text + "\" is more than " + Limits.MAX_PERCENT + "%");
    }
    return new Amount(v, pct);
  }

  /**
   * A wave size: percentages round up, and a non-empty fleet always gives at least one node. Integer arithmetic,
   * not doubles: 7 / 100.0 * 100 is 7.000000000000001, which Math.ceil turned into 8 nodes for "7%" of 100.
   */
  public int sizeOf(int total) {
    int n = percent ? (int) ((total * (long) value + 99) / 100) : value;
    return total == 0 ? 0 : Math.max(1, Math.min(n, total));
  }

  /**
   * A failure budget: percentages round down, so "5%" of 10 nodes tolerates none. Integer arithmetic for the same
   * reason as {@link #sizeOf}: 29 / 100.0 * 100 is 28.999999999999996, which floored to a budget of 28 for "29%" of 100.
   */
  public int budgetOf(int total) {
    return percent ? (int) (total * (long) value / 100) : value;
  }

  @Override
  public String toString() { return value + (percent ? "%" : ""); }
}
