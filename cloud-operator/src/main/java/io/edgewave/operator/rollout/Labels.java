package io.edgewave.operator.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The labels and annotations the operator puts on what it creates, and the names it gives them. */
public final class Labels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "edgewave";
  public static final String RELEASE = "edgewave.io/release";
  public static final String NODE = "edgewave.io/node";
  public static final String REVISION = "edgewave.io/revision";
  public static final String NODE_NAME = "edgewave.io/node-name";
  public static final String DISPATCHED_AT = "edgewave.io/dispatched-at";
  public static final String PREVIOUS_REVISION = "edgewave.io/previous-revision";
  public static final String WAVE = "edgewave.io/wave";
  public static final String APPROVE = "edgewave.io/approve";
  public static final String ABORT = "edgewave.io/abort";
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

  private Labels() {}

  /** Node names may be longer than a label value allows; such names are replaced by a stable hash. */
  public static String nodeValue(String node) {
    return node.length() <= 63 ? node : "h-" + sha256(node).substring(0, 32);
  }

  /** Deployment name for one node: readable when short, hashed when release + node would be too long. */
  public static String deploymentName(String release, String node) {
    String name = release + "-" + node;
    if (name.length() <= 200) return name;
    String head = name.substring(0, 180).replaceAll("[-.]+$", "");
    return head + "-" + sha256(name).substring(0, 12);
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
