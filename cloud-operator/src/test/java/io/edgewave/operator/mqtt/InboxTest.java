package io.edgewave.operator.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.protocol.DaemonThreads;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InboxTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void handsEveryMessageOverInOrderOnTheExecutorStampedWhenItArrived() throws Exception {
    var executor = Executors.newSingleThreadExecutor(new DaemonThreads("inbox-test"));
    try {
      List<Inbox.Message> seen = new ArrayList<>();
      List<String> threads = new ArrayList<>();
      AtomicLong mono = new AtomicLong(100);
      Inbox inbox = new Inbox(executor, mono::getAndIncrement, Clock.fixed(T0, ZoneOffset.UTC), m -> {
        seen.add(m);
        threads.add(Thread.currentThread().getName());
      });
      for (int i = 0; i < 10_000; i++) inbox.add("t/" + i, ("" + i).getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).until(() -> executor.submit(seen::size).get() == 10_000);
      for (int i = 0; i < 10_000; i++) {
        assertEquals("t/" + i, seen.get(i).topic());
        assertEquals(100 + i, seen.get(i).receivedNanos(), "stamped by the adding thread, in order");
        assertEquals(T0, seen.get(i).receivedAt());
      }
      assertTrue(threads.stream().allMatch("inbox-test"::equals), "handled on the executor only");
      assertEquals(0, inbox.size());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void wakesTheExecutorOncePerBurstNotPerMessage() throws Exception {
    var real = Executors.newSingleThreadExecutor(new DaemonThreads("inbox-test"));
    AtomicInteger wakeUps = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    try {
      AtomicInteger handled = new AtomicInteger();
      Inbox inbox = new Inbox(r -> {
        wakeUps.incrementAndGet();
        real.execute(r);
      }, System::nanoTime, Clock.systemUTC(), m -> {
        try {
          release.await(10, TimeUnit.SECONDS); // the first message holds the drain while the burst piles up
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        handled.incrementAndGet();
      });
      for (int i = 0; i < 1000; i++) inbox.add("t", new byte[0]);
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 1000);
      assertEquals(1, wakeUps.get(), "one hand-over for the burst");
    } finally {
      real.shutdownNow();
    }
  }

  @Test
  void aHandlerThatThrowsStopsNoLaterMessage() throws Exception {
    var executor = Executors.newSingleThreadExecutor(new DaemonThreads("inbox-test"));
    try {
      AtomicInteger handled = new AtomicInteger();
      Inbox inbox = new Inbox(executor, System::nanoTime, Clock.systemUTC(), m -> {
        if (m.topic().equals("bad")) throw new IllegalStateException("boom");
        handled.incrementAndGet();
      });
      inbox.add("bad", new byte[0]);
      inbox.add("good", new byte[0]);
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 1);
      inbox.add("good", new byte[0]);
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 2);
    } finally {
      executor.shutdownNow();
    }
  }
}
