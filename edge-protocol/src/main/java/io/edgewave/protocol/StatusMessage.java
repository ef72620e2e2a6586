package io.edgewave.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The retained status of a node, protocol v1: {"v":1,"state":"online"}, {"v":1,"state":"offline","cause":"shutdown"}
 * (the probe said goodbye) or {"v":1,"state":"offline","cause":"will"} (the broker's last will: the connection died
 * without a goodbye). Plain "online" and "offline" are accepted too, as a goodbye.
 */
public enum StatusMessage {
  ONLINE("{\"v\":1,\"state\":\"online\"}"),
  SHUTDOWN("{\"v\":1,\"state\":\"offline\",\"cause\":\"shutdown\"}"),
  WILL("{\"v\":1,\"state\":\"offline\",\"cause\":\"will\"}");

  private final String json;

  StatusMessage(String json) {
    this.json = json;
  }

  public byte[] bytes() {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** @return null when the payload is none of the above */
  public static StatusMessage parse(byte[] payload) {
    if (payload == null || payload.length > 256) return null;
    String s = new String(payload, StandardCharsets.UTF_8).replace(" ", "");
    for (StatusMessage m : values()) if (m.json.equals(s)) return m;
    if (s.equals("online")) return ONLINE;
    if (s.equals("offline")) return SHUTDOWN;
    return null;
  }
}
