package io.edgewave.probe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.probe.facts.GpuFacts;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalCheckTest {
  @Test
  void tcpCheckPassesOnAnOpenPortAndFailsOnAClosedOne() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
      assertTrue(LocalCheck.run(LocalCheck.Spec.parse("camera=tcp:127.0.0.1:" + port)).ok());
    }
    var closed = LocalCheck.run(LocalCheck.Spec.parse("camera=tcp:127.0.0.1:" + port));
    assertFalse(closed.ok());
    assertTrue(closed.detail().startsWith("ConnectException"), closed.detail());
  }

  @Test
  void httpCheckPassesOn2xxAndNamesTheStatusOtherwise() throws Exception {
    var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/healthz", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.createContext("/broken", ex -> {
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      assertTrue(LocalCheck.run(LocalCheck.Spec.parse("api=http:" + base + "/healthz")).ok());
      assertEquals("HTTP 503", LocalCheck.run(LocalCheck.Spec.parse("api=http:" + base + "/broken")).detail());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void commandCheckReportsTheExitCode() {
    assertTrue(LocalCheck.run(LocalCheck.Spec.parse("cmd:true")).ok());
    assertEquals("exit 3", LocalCheck.run(LocalCheck.Spec.parse("cmd:exit 3")).detail());
  }

  @Test
  void nvidiaSmiOutputParsesAndMissingNvidiaSmiMeansNoGpus() {
    var gpus = GpuFacts.parse("0, NVIDIA T4, 535.104.05, 37, 1024, 15360, 48\n1, NVIDIA T4, 535.104.05, [N/A], 0, 15360, 40\n");
    assertEquals(2, gpus.size());
    assertEquals(37.0, gpus.get(0).utilizationPercent());
    assertEquals(null, gpus.get(1).utilizationPercent());
    assertEquals(List.of(), new GpuFacts("/nonexistent/nvidia-smi").read());
  }
}
