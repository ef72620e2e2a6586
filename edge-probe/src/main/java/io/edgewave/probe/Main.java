package io.edgewave.probe;

import io.edgewave.probe.config.ProbeConfig;
import io.edgewave.probe.mqtt.Probe;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** edgewave-probe: heartbeats from an edge node or GPU box to the operator over MQTT. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    picocli.CommandLine help = ProbeConfig.commandLine();
    try {
      help.parseArgs(args);
    } catch (picocli.CommandLine.ParameterException e) {
      help = null; // ProbeConfig.parse below reports it, naming the flag
    }
    if (help != null && help.isUsageHelpRequested()) {
      help.usage(System.out);
      return;
    }
    if (help != null && help.isVersionHelpRequested()) {
      help.printVersionHelp(System.out);
      return;
    }
    ProbeConfig config;
    try {
      config = ProbeConfig.parse(args, System.getenv());
    } catch (ProbeConfig.Invalid e) {
      System.err.println("edgewave-probe: " + e.getMessage());
      System.exit(2);
      return;
    }
    Probe probe = new Probe(config, Clock.systemUTC()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      probe.close();
      stopped.countDown();
    }, "probe-stop"));
    stopped.await();
  }
}
