package io.edgewave.probe.facts;

import io.edgewave.protocol.Heartbeat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GPU facts from nvidia-smi. No nvidia-smi (a transit-center node without a GPU) means no GPU facts: an empty
 * list, not an error. Parsing is separate from running so it can be tested on recorded output.
 */
public final class GpuFacts {
  static final String QUERY = "index,name,driver_version,utilization.gpu,memory.used,memory.total,temperature.gpu";
  private final String command;
  private volatile boolean absent;

  public GpuFacts(String command) {
    this.command = command;
  }

  public List<Heartbeat.Gpu> read() {
    if (absent) return List.of();
    try {
      Process p = new ProcessBuilder(command, "--query-gpu=" + QUERY, "--format=csv,noheader,nounits")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readNBytes(64 * 1024);
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return List.of();
      }
      return p.exitValue() == 0 ? parse(new String(out, StandardCharsets.UTF_8)) : List.of();
    } catch (IOException e) {
      absent = true; // not installed: stop trying every interval
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /** One line per GPU: "0, NVIDIA T4, 535.104.05, 37, 1024, 15360, 48". Fields nvidia-smi cannot read say [N/A]. */
  public static List<Heartbeat.Gpu> parse(String csv) {
    List<Heartbeat.Gpu> out = new ArrayList<>();
    for (String line : csv.split("\n")) {
      String[] f = line.split(",");
      if (f.length < 7) continue;
      try {
        out.add(new Heartbeat.Gpu(Integer.parseInt(f[0].strip()), f[1].strip(), f[2].strip(), dbl(f[3]), lng(f[4]),
            lng(f[5]), dbl(f[6])));
      } catch (NumberFormatException e) {
        // a line we cannot read is left out
      }
    }
    return out;
  }

  private static Double dbl(String s) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long lng(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
