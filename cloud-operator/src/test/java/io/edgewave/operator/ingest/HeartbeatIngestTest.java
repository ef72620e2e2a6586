package io.edgewave.operator.ingest;

import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.fleet.FleetSink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.protocol.Heartbeat;
import io.edgewave.protocol.HeartbeatCodec;
import io.edgewave.protocol.StatusMessage;
import io.edgewave.protocol.Topics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeartbeatIngestTest {
  static final Instant T0 = HeartbeatFuzzTest.T0;

  static String scrape(EdgewaveMetrics m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, m.registry().scrape());
    return out.toString();
  }

  static long rejectedTotal(HeartbeatIngest ingest) {
    long n = 0;
    for (HeartbeatCodec.Reason r : HeartbeatCodec.Reason.values()) n += ingest.rejected(r);
    return n;
  }

  @Test
  void decodesAHeartbeatAndAStatusAndCountsTheHeartbeat() {
    HeartbeatIngest ingest = new HeartbeatIngest(new EdgewaveMetrics());
    var beat = ingest.decode(Topics.heartbeat("tc-a"), HeartbeatFuzzTest.valid("tc-a", 7), T0);
    assertEquals(7, assertInstanceOf(HeartbeatIngest.Beat.class, beat).heartbeat().seq());
    var status = ingest.decode(Topics.status("tc-a"), StatusMessage.SHUTDOWN.bytes(), T0);
    assertEquals(new HeartbeatIngest.Status("tc-a", StatusMessage.SHUTDOWN), status);
    assertEquals(1, ingest.received());
    assertEquals(0, rejectedTotal(ingest) + ingest.internalErrors());
  }

  @Test
  void badInputIsCountedByTheCodecsReason() throws Exception {
    EdgewaveMetrics metrics = new EdgewaveMetrics();
    HeartbeatIngest ingest = new HeartbeatIngest(metrics);
    assertNull(ingest.decode(Topics.heartbeat("tc-a"), "{\"v\":1,".getBytes(StandardCharsets.UTF_8), T0));
    assertNull(ingest.decode(Topics.status("tc-a"), "nonsense".getBytes(StandardCharsets.UTF_8), T0));
    assertNull(ingest.decode("edgewave/v1/nodes/+/heartbeat", HeartbeatFuzzTest.valid("tc-a", 1), T0));
    assertNull(ingest.decode(Topics.heartbeat("tc-b"), HeartbeatFuzzTest.valid("tc-a", 1), T0));
    assertEquals(2, ingest.rejected(HeartbeatCodec.Reason.MALFORMED_JSON));
    assertEquals(1, ingest.rejected(HeartbeatCodec.Reason.BAD_TOPIC));
    assertEquals(1, ingest.rejected(HeartbeatCodec.Reason.NODE_MISMATCH));
    assertEquals(0, ingest.internalErrors());
    String text = scrape(metrics);
    assertTrue(text.contains("edgewave_heartbeats_rejected_total{reason=\"MALFORMED_JSON\"} 2.0"), text);
    assertTrue(text.contains("edgewave_heartbeats_rejected_total{reason=\"INTERNAL_ERROR\"} 0.0"), text);
  }

  @Test
  void aDecoderThatThrowsIsAnInternalErrorNotMalformedInput() throws Exception {
    EdgewaveMetrics metrics = new EdgewaveMetrics();
    HeartbeatIngest ingest = new HeartbeatIngest((node, payload) -> {
      throw new IllegalStateException("a bug in the decoder");
    }, metrics);
    for (int i = 0; i < 3; i++) {
      assertNull(ingest.decode(Topics.heartbeat("tc-a"), HeartbeatFuzzTest.valid("tc-a", i), T0.plusSeconds(i)));
    }
    assertEquals(3, ingest.internalErrors());
    assertEquals(0, rejectedTotal(ingest), "no reason of the sender's counted");
    assertEquals(0, ingest.received());
    String text = scrape(metrics);
    assertTrue(text.contains("edgewave_heartbeats_rejected_total{reason=\"INTERNAL_ERROR\"} 3.0"), text);
    assertTrue(text.contains("edgewave_heartbeats_rejected_total{reason=\"MALFORMED_JSON\"} 0.0"), text);
  }

  @Test
  void aThrowAfterDecodingIsAnInternalErrorToo() throws Exception {
    EdgewaveMetrics metrics = new EdgewaveMetrics();
    var sink = new FleetSink() {
      @Override public void transitions(List<FailureDetector.Transition> t) { }

      @Override public void accepted(Heartbeat h, Instant at) { throw new IllegalStateException("a bug in a sink"); }
    };
    HeartbeatSubscriber sub = new HeartbeatSubscriber(HeartbeatSubscriber.Settings.of("tcp://127.0.0.1:1"),
        Clock.fixed(T0, ZoneOffset.UTC), sink, metrics, new FleetFacts());
    try {
      sub.handle(Topics.heartbeat("tc-a"), HeartbeatFuzzTest.valid("tc-a", 1), T0);
      sub.handle(Topics.heartbeat("tc-a"), "{".getBytes(StandardCharsets.UTF_8), T0);
      assertEquals(1, sub.internalErrors());
      assertEquals(1, sub.rejected(HeartbeatCodec.Reason.MALFORMED_JSON), "only the truly malformed one");
      assertTrue(scrape(metrics).contains("edgewave_heartbeats_rejected_total{reason=\"INTERNAL_ERROR\"} 1.0"));
    } finally {
      sub.close();
    }
  }

  @Test
  void aThousandSendersOfGarbageAreCountedUnderTheirReasonsOnly() {
    HeartbeatIngest ingest = new HeartbeatIngest(new EdgewaveMetrics());
    for (int i = 0; i < 1000; i++) {
      ingest.decode("edgewave/v1/nodes/tc-" + i + "/nonsense", new byte[] {(byte) i}, T0);
      ingest.decode(Topics.heartbeat("tc-" + i), new byte[] {(byte) i}, T0);
      if (i % 100 == 0) ingest.logRejects(T0.plusSeconds(i));
    }
    assertEquals(2000, rejectedTotal(ingest));
    assertEquals(1000, ingest.rejected(HeartbeatCodec.Reason.BAD_TOPIC));
    assertEquals(0, ingest.internalErrors(), "garbage is the sender's, not a bug of ours");
  }
}
