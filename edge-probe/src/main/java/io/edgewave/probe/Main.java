package io.edgewave.probe;

import io.edgewave.probe.config.ProbeConfig;
import io.edgewave.probe.mqtt.Probe;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** edgewave-probe: heartbeats from an edge node or GPU box to the operator over MQTT. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("""
          usage: java -Xmx32m -jar edgewave-probe.jar --node NAME [flags]   (flags also as EDGEWAVE_<FLAG> or in --config FILE)
            --broker tcp://host:1883 | ssl://host:8883   --interval 10s   --keep-alive 20s
            --username U --password P | --password-file F   --ca-file broker-ca.pem   --client-id ID
            --check camera=tcp:192.0.2.10:554 --check api=http:http://127.0.0.1:8080/healthz --check cmd:'systemctl is-active x'
            --nvidia-smi PATH   --revisions-file F   --disk-path /var/lib   --backoff-min 1s --backoff-max 60s""");
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
