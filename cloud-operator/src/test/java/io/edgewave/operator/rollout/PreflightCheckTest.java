package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.plan.FactRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Driver versions compared as numbers, part by part, as the minGpuDriver preflight rule needs. */
class PreflightCheckTest {
  static int sign(String a, String b) {
    return Integer.signum(FactRule.MinGpuDriver.compareVersions(a, b));
  }

  @Test
  void partsCompareAsNumbersNotAsText() {
    assertEquals(1, sign("535.104.05", "535.54"), "104 > 54, though \"1\" < \"5\"");
    assertEquals(-1, sign("535.54", "535.104.05"));
    assertEquals(1, sign("10.0", "9.9"));
    assertEquals(1, sign("550", "535.999.99"));
  }

  @Test
  void leadingZerosAndMissingPartsDoNotMatter() {
    assertEquals(0, sign("535.104.05", "535.104.5"));
    assertEquals(0, sign("535.104", "535.104.0"));
    assertEquals(0, sign("535.104.0.0", "535.104"));
    assertEquals(1, sign("535.104.1", "535.104"), "an extra non-zero part is newer");
    assertEquals(-1, sign("535", "535.0.1"));
  }

  @Test
  void aSuffixInsideAPartDoesNotJoinItsDigits() {
    assertEquals(0, sign("535.104.05-beta2", "535.104.5"), "05-beta2 is 5, not 52");
    assertEquals(-1, sign("535.104.05-beta2", "535.104.6"));
    assertEquals(0, sign("535.rc1", "535.1"), "a part counts by its first run of digits");
    assertEquals(1, sign("535.99999999999999999999", "535.1"), "an overlong part does not overflow");
  }

  @Test
  void theComparisonIsAnOrderAntisymmetricAndReflexive() {
    List<String> versions = List.of("470.57.02", "470.199.02", "525.60.13", "535.54.03", "535.104.05", "535.104.5",
        "550", "550.54.14", "0", "1.0.0");
    for (String a : versions) {
      assertEquals(0, sign(a, a), a);
      for (String b : versions) {
        assertEquals(-sign(b, a), sign(a, b), a + " vs " + b);
        for (String c : versions) {
          if (sign(a, b) <= 0 && sign(b, c) <= 0) assertTrue(sign(a, c) <= 0, a + " <= " + b + " <= " + c);
        }
      }
    }
  }

  @Test
  void aPartWithoutDigitsComparesAsZero() {
    assertEquals(0, sign("535.x", "535.0"));
    assertEquals(0, sign("535.x", "535"));
    assertEquals(-1, sign("535.beta", "535.1"));
    assertEquals(0, sign("", "0"));
  }

  @Test
  void aPartsOtherCharactersAreDroppedAndItsDigitsKept() {
    assertEquals(0, sign("v535.104", "535.104"));
    assertEquals(0, sign("535.104.05", "535.104.05 "));
  }
}
