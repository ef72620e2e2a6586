package io.edgewave.operator.demo;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the demo process used: its CPU, the CPU of the operator's own threads (reconciler pool, heartbeat
 * subscriber and its MQTT threads, node-health writer), resident memory, and the heap live after a full GC. The
 * demo holds the mock API server and the simulated fleet too, so only the thread CPU is the operator's alone.
 */
final class ProcessUse {
  private ProcessUse() {}

  static boolean operatorThread(String name) {
    return name.startsWith("ReconcilerExecutor-") || name.equals("heartbeat-subscriber")
        || name.equals("node-health-writer") || name.endsWith("edgewave-operator-demo");
  }

  static Map<String, Object> measure() {
    var threads = ManagementFactory.getThreadMXBean();
    long operatorNs = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null || !operatorThread(info.getThreadName())) continue;
      long t = threads.getThreadCpuTime(info.getThreadId());
      if (t > 0) operatorNs += t;
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("operatorThreadsCpuSeconds", Math.round(operatorNs / 1e7) / 100.0);
    out.put("processCpuSeconds", Math.round(os.getProcessCpuTime() / 1e7) / 100.0);
    out.put("heapAfterGcMiB", heap >> 20);
    out.put("rssMiB", rssKiB() >> 10);
    return out;
  }

  private static long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }
}
