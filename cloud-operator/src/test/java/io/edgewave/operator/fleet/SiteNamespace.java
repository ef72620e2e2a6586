package io.edgewave.operator.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transit center's network for a test: its own network namespace joined to this host by a veth pair, as a site
 * sits behind one uplink. Processes started with {@link #exec} live inside it and reach the host at {@link #hostIp};
 * {@link #cut} takes the host's end of the link down, so packets vanish (no reset, no close): the broker sees silence
 * first and fires the wills only once keep-alive runs out, as with a real uplink cut. Needs root (CI runs as root);
 * {@link #problem} says why it cannot be used here, for a test to skip with that message.
 */
public final class SiteNamespace implements AutoCloseable {
  private static final AtomicInteger NEXT = new AtomicInteger((int) (ProcessHandle.current().pid() % 200));
  final String name;
  private final String hostIp;
  private final String hostIf;

  private SiteNamespace(String name, String hostIf, String hostIp) {
    this.name = name;
    this.hostIf = hostIf;
    this.hostIp = hostIp;
  }

  /** Why namespaces cannot be made here (not root, no ip command, not permitted), or null when they can. */
  public static String problem() {
    try {
      SiteNamespace probe = create();
      probe.close();
      return null;
    } catch (IOException | RuntimeException e) {
      return "network namespaces are not available here (" + e.getMessage().strip() + "); the site-outage test"
          + " needs root and the ip command, as on CI";
    }
  }

  /** A fresh namespace and a /30 link to it from a 10.231.x.0 block of its own. */
  public static SiteNamespace create() throws IOException {
    int n = NEXT.getAndIncrement() % 250;
    String ns = "ew-site-" + ProcessHandle.current().pid() + "-" + n;
    String host = "ewh" + (ProcessHandle.current().pid() % 10000) + "x" + n;
    String peer = "ewp" + (ProcessHandle.current().pid() % 10000) + "x" + n;
    String hostIp = "10.231." + n + ".1";
    String siteIp = "10.231." + n + ".2";
    run("ip", "netns", "add", ns);
    SiteNamespace s = new SiteNamespace(ns, host, hostIp);
    try {
      run("ip", "link", "add", host, "type", "veth", "peer", "name", peer);
      run("ip", "link", "set", peer, "netns", ns);
      run("ip", "addr", "add", hostIp + "/30", "dev", host);
      run("ip", "link", "set", host, "up");
      run("ip", "netns", "exec", ns, "ip", "addr", "add", siteIp + "/30", "dev", peer);
      run("ip", "netns", "exec", ns, "ip", "link", "set", peer, "up");
      run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The host's end of the link: where processes inside the site reach this host. */
  public String hostIp() {
    return hostIp;
  }

  /** The command, run inside the site. */
  public List<String> exec(List<String> command) {
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
    out.addAll(command);
    return out;
  }

  /** The uplink goes: nothing passes in either direction, and nobody is told. */
  public void cut() throws IOException {
    run("ip", "link", "set", hostIf, "down");
  }

  /** The uplink is back. */
  public void restore() throws IOException {
    run("ip", "link", "set", hostIf, "up");
  }

  @Override
  public void close() {
    try {
      run("ip", "link", "del", hostIf);
    } catch (IOException | RuntimeException e) {
      // gone with the namespace, or never made
    }
    try {
      run("ip", "netns", "del", name);
    } catch (IOException | RuntimeException e) {
      // never made
    }
  }

  private static void run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
