package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LabelsTest {
  static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  @Test
  void deploymentNamesOfDifferentReleasesNeverCollide() {
    assertNotEquals(Labels.deploymentName("edge", "gpu-hz-01"), Labels.deploymentName("edge-gpu", "hz-01"));

    // every way of splitting one dashed string into a release and a node, and many releases on many nodes
    Map<String, String> seen = new HashMap<>();
    String dashed = "edge-gpu-hz-01-cam-a-b-c";
    for (int i = dashed.indexOf('-'); i > 0; i = dashed.indexOf('-', i + 1)) {
      distinct(seen, dashed.substring(0, i), dashed.substring(i + 1));
    }
    for (String release : List.of("edge", "edge-gpu", "edge.gpu", "scan-upload", "scan", "upload", "a", "a-a")) {
      for (int n = 0; n < 500; n++) distinct(seen, release, "hz-" + n);
      distinct(seen, release, "gpu-hz-01");
      distinct(seen, release, "upload-hz-01");
      distinct(seen, release, "gpu.hz-01");
    }
  }

  @Test
  void deploymentNamesAreReadableAndStable() {
    String name = Labels.deploymentName("scan-upload", "hz-01");
    assertTrue(name.matches("scan-upload-hz-01-[0-9a-f]{10}"), name);
    assertEquals(name, Labels.deploymentName("scan-upload", "hz-01"));
  }

  @Test
  void deploymentNamesAreValidSubdomainsWellWithinTheLengthLimitWhateverTheInput() {
    Random random = new Random(42);
    String alphabet = "abcXYZ019-._/ é";
    List<String[]> pairs = new ArrayList<>(List.of(
        new String[] {"r".repeat(253), "n".repeat(253)},
        new String[] {"a.b", "-.-"},
        new String[] {"---", "..."},
        new String[] {"Edge_GPU", "HZ.01."}));
    for (int i = 0; i < 2000; i++) pairs.add(new String[] {text(random, alphabet, 300), text(random, alphabet, 300)});
    for (String[] p : pairs) {
      String name = Labels.deploymentName(p[0], p[1]);
      assertTrue(DNS_1123_SUBDOMAIN.matcher(name).matches(), () -> "\"" + name + "\" from " + p[0] + " / " + p[1]);
      assertTrue(name.length() <= 191, name);
    }
  }

  @Test
  void nodeValuesAreValidLabelValuesOfAtMost63Characters() {
    String short63 = "n".repeat(62) + "1";
    assertEquals(short63, Labels.nodeValue(short63));
    String long64 = "n".repeat(63) + "1";
    String hashed = Labels.nodeValue(long64);
    assertTrue(hashed.length() <= 63 && LABEL_VALUE.matcher(hashed).matches(), hashed);
    assertNotEquals(hashed, Labels.nodeValue("n".repeat(63) + "2"));
  }

  @Test
  void aNodeNameOver63CharactersBecomesAStableHashOfTheWholeName() {
    // sha256 of the name computed independently: printf %s NAME | sha256sum | cut -c1-32
    String node = "edge-gpu-box-hangzhou-east-transit-center-07-platform-03-camera-12.example.internal";
    assertEquals(83, node.length());
    assertEquals("h-13152d0b3f6953f261875b35b2ac1733", Labels.nodeValue(node));
    assertEquals(Labels.nodeValue(node), Labels.nodeValue(new String(node.toCharArray())), "stable");
    String longest = "n".repeat(253);
    assertTrue(Labels.nodeValue(longest).matches("h-[0-9a-f]{32}"), Labels.nodeValue(longest));
    // names that agree in their first 63 characters (where a truncation would collide) differ
    assertNotEquals(Labels.nodeValue(node), Labels.nodeValue(node.substring(0, 82)));
    assertNotEquals(Labels.nodeValue(node.substring(0, 64)), Labels.nodeValue(node.substring(0, 65)));
  }

  @Test
  void aReleaseNameThatCannotBeALabelValueIsAProblemNamingTheFieldAndTheFix() {
    assertNull(Labels.nameProblem("scan-upload"));
    assertNull(Labels.nameProblem("r".repeat(63)));
    assertEquals("metadata.name: \"" + "r".repeat(64) + "\" is 64 characters; rename the release to at most 63 "
        + "characters: it is used as a label value (edgewave.io/release)", Labels.nameProblem("r".repeat(64)));
    assertTrue(Labels.nameProblem("scan-upload.").startsWith("metadata.name: \"scan-upload.\" is not a valid label value"));
  }

  private static void distinct(Map<String, String> seen, String release, String node) {
    String name = Labels.deploymentName(release, node);
    String before = seen.put(name, release + " / " + node);
    assertNull(before, () -> name + " for " + release + " / " + node + " and for " + before);
  }

  private static String text(Random random, String alphabet, int maxLength) {
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(maxLength) + 1; i > 0; i--) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return b.toString();
  }
}
