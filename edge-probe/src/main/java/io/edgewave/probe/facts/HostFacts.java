package io.edgewave.probe.facts;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** Reads the host's facts from /proc; a fact that cannot be read is null, never an error. */
public final class HostFacts {
  private final Path proc;

  public HostFacts(Path proc) {
    this.proc = proc;
  }

  /** The kernel's boot id: it changes on every reboot, so the operator can tell a reboot from a lost packet. */
  public String bootId() {
    String id = first(proc.resolve("sys/kernel/random/boot_id"));
    return id != null ? id.strip() : "probe-" + UUID.randomUUID();
  }

  public Double uptimeSeconds() {
    String line = first(proc.resolve("uptime"));
    return line == null ? null : number(line.split("\\s+")[0]);
  }

  public Double load1() {
    String line = first(proc.resolve("loadavg"));
    return line == null ? null : number(line.split("\\s+")[0]);
  }

  /** MemTotal and MemAvailable in bytes; {null, null} when unknown. */
  public Long[] memory() {
    Long total = null;
    Long avail = null;
    try {
      for (String l : Files.readAllLines(proc.resolve("meminfo"))) {
        if (l.startsWith("MemTotal:")) total = kib(l);
        else if (l.startsWith("MemAvailable:")) avail = kib(l);
      }
    } catch (IOException | RuntimeException e) {
      return new Long[] {null, null};
    }
    return new Long[] {total, avail};
  }

  public static Long diskFree(Path path) {
    File f = path.toFile();
    long free = f.getUsableSpace();
    return free == 0 && !f.exists() ? null : free;
  }

  private static Long kib(String line) {
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]) * 1024;
  }

  private static Double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String first(Path p) {
    try {
      List<String> lines = Files.readAllLines(p);
      return lines.isEmpty() ? null : lines.get(0);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
