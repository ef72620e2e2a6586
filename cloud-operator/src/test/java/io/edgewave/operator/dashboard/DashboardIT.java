package io.edgewave.operator.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** A running demo's dashboard, in a real headless browser: waves advance on the page and killed boxes turn lost. */
class DashboardIT {
  @Test
  void dashboardShowsWavesAdvancingAndKilledBoxesTurningLost() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true);
    // bakes / 60: the canary bakes 20 s and later waves 10 s, slow enough to watch a wave complete on the page
    var config = new Demo.Config(24, 12, 0, 2, Duration.ofMinutes(3), 60, Path.of("..", "rollout-plans"), true, 11,
        Duration.ofSeconds(1), 0, false);
    Demo demo = new Demo(config, out);
    Thread runner = new Thread(() -> {
      try {
        demo.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        out.println("demo failed: " + e);
      }
    }, "demo");
    runner.start();
    ChromeDriver browser = null;
    try {
      String url = demo.dashboard().get(90, TimeUnit.SECONDS);
      browser = Browser.start();
      browser.get(url);
      ChromeDriver b = browser;
      await().atMost(Duration.ofSeconds(30)).until(() -> b.findElements(By.cssSelector(".release")).size() == 2);
      // a bake counts down in words, its end to the second on hover, and no timestamp on the page has sub-seconds
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
          .ignoreException(org.openqa.selenium.StaleElementReferenceException.class).until(() -> {
            for (WebElement e : b.findElements(By.cssSelector(".next-step[data-phase='Baking']"))) {
              if (e.getText().matches("bakes (\\d+ m )?\\d+ s more") && e.getAttribute("title").matches(".*T\\d\\d:\\d\\d:\\d\\dZ")) {
                return true;
              }
            }
            return false;
          });
      int[] seen = {-1};
      await().atMost(Duration.ofSeconds(30)).until(() -> (seen[0] = wavesCompleted(b, "camera-inference")) >= 0);
      int before = seen[0];

      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> killedBoxesShownLost(b, buf));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("killed boxes not shown lost within 60 s; " + diagnosis(url, buf), e);
      }
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> wavesCompleted(b, "camera-inference") > before);
      List<String> victims = killed(buf);
      // the page redraws every poll: an element found a moment ago may be replaced, so look again until it holds
      await().atMost(Duration.ofSeconds(10)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
          .untilAsserted(() -> {
            for (String node : victims) {
              WebElement row = b.findElement(By.cssSelector("#lost tr[data-node='" + node + "']"));
              assertEquals("lost", row.getAttribute("data-state"), node);
              assertTrue(row.getText().contains("535.104.05"), "GPU driver of " + node + " in " + row.getText());
            }
            assertTrue(Integer.parseInt(b.findElement(By.cssSelector("#legend [data-state='lost']"))
                .getAttribute("data-count")) >= victims.size(), "heat map legend counts the lost boxes");
          });
      assertEquals("36", b.findElement(By.id("heat")).getAttribute("data-nodes"));
      assertEquals("live", b.findElement(By.id("freshness")).getAttribute("data-state"));

      // each site's group on the heat map carries its name
      String drawn = b.findElement(By.id("heat")).getAttribute("data-sites");
      assertTrue(drawn != null && drawn.split(",").length >= 2, "site labels on the heat map: " + drawn);
      String page = b.findElement(By.tagName("body")).getText();
      assertFalse(page.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d+Z.*"), "a time with fractions of a second: " + page);
      // the release filter lives in the URL and survives a reload
      ((JavascriptExecutor) b).executeScript("const s = document.getElementById('heat-release'); s.value = arguments[0];"
          + " s.dispatchEvent(new Event('change'));", "logistics/camera-inference");
      assertTrue(b.getCurrentUrl().contains("release=logistics%2Fcamera-inference"), b.getCurrentUrl());
      b.navigate().refresh();
      await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
          .until(() -> "logistics/camera-inference".equals(b.findElement(By.id("heat-release")).getAttribute("value")));

      // everything the page loaded came from the operator itself: no CDN, no third party
      @SuppressWarnings("unchecked")
      List<String> resources = (List<String>) ((JavascriptExecutor) b).executeScript(
          "return performance.getEntriesByType('resource').map(e => e.name)");
      String origin = URI.create(url).getAuthority();
      for (String r : resources) assertEquals(origin, URI.create(r).getAuthority(), r);
      assertFalse(resources.isEmpty());

      Files.createDirectories(Path.of("target"));
      Files.copy(b.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "dashboard.png"),
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      if (browser != null) browser.quit();
      runner.interrupt();
      runner.join(30_000);
    }
  }

  @Test
  void tenThousandNodesRenderWithEveryNodeInTheHeatMap() throws Exception {
    FakeCache cache = new FakeCache();
    cache.nodes.addAll(io.edgewave.operator.demo.SimulatedFleet.nodes(9_000, 1_000, 2_250));
    for (int i = 0; i < 10_000; i += 97) {
      cache.nodes.get(i).getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
          .withType("EdgeProbeHealthy").withStatus("False").withReason("EdgeProbeLost")
          .withLastTransitionTime("2026-11-25T01:00:00Z").build());
    }
    Served page = Served.on(cache);
    ChromeDriver b = Browser.start();
    try {
      b.get(page.url());
      await().atMost(Duration.ofSeconds(30)).until(() -> "10000".equals(b.findElement(By.id("heat")).getAttribute("data-nodes")));
      int sum = 0;
      for (WebElement e : b.findElements(By.cssSelector("#legend [data-count]"))) sum += Integer.parseInt(e.getAttribute("data-count"));
      assertEquals(10_000, sum, "every node is in exactly one legend bucket");
      assertEquals("104", b.findElement(By.cssSelector("#legend [data-state='lost']")).getAttribute("data-count"));
      assertEquals(104, b.findElements(By.cssSelector("#lost tbody tr")).size());
      var snap = page.reader().snapshot();
      System.out.printf("10,000 nodes: board %d bytes (%d gzipped), built in %d ms, page rendered in %s ms%n",
          snap.json().length, snap.gzip().length, snap.buildTime().toMillis(),
          b.findElement(By.tagName("body")).getAttribute("data-render-ms"));
      Files.createDirectories(Path.of("target"));
      Files.copy(b.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "dashboard-10000.png"),
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      b.quit();
      page.http().stop(0);
    }
  }

  @Test
  void aStagedReleaseCardSaysHowManyNodesAreInEachStagingStateAndNamesAFewWithTheirReason() throws Exception {
    FakeCache cache = new FakeCache();
    cache.nodes.addAll(io.edgewave.operator.demo.SimulatedFleet.nodes(52, 0, 4));
    var er = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        Files.readString(Path.of("..", "rollout-plans", "scan-upload-staged.yaml")),
        io.edgewave.operator.api.v1alpha1.EdgeRelease.class);
    var status = new io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus();
    status.setPhase(io.edgewave.operator.api.v1alpha1.Phase.Progressing);
    status.setRevision("5d8f7c");
    status.setMessage("staging wave canary: 2 of 4 nodes staged (4 needed), 1 pulling");
    er.setStatus(status);
    cache.releases.add(er);
    java.util.Map<String, io.edgewave.operator.rollout.NodeStaging> staging = new java.util.HashMap<>();
    List<String> names = cache.nodes.stream().map(n -> n.getMetadata().getName()).sorted().toList();
    String[] states = new String[52];
    java.util.Arrays.fill(states, 0, 40, "STAGED");
    java.util.Arrays.fill(states, 40, 46, "PULLING");
    java.util.Arrays.fill(states, 46, 48, "FAILED");
    java.util.Arrays.fill(states, 48, 51, "BUDGET");
    states[51] = "WINDOW";
    for (int i = 0; i < 52; i++) {
      var state = io.edgewave.operator.rollout.NodeStaging.State.valueOf(states[i]);
      staging.put(names.get(i), new io.edgewave.operator.rollout.NodeStaging(state,
          state == io.edgewave.operator.rollout.NodeStaging.State.FAILED ? "reg/scan-upload:3.0.0: manifest unknown" : null));
    }
    cache.staging.put(er.getMetadata().getName(), staging);
    Served page = Served.on(cache);
    ChromeDriver b = Browser.start();
    try {
      b.get(page.url());
      await().atMost(Duration.ofSeconds(30)).until(() -> !b.findElements(By.cssSelector(".release .staging")).isEmpty());
      WebElement card = b.findElement(By.cssSelector(".release[data-release='scan-upload-staged'] .staging"));
      assertEquals("Staging: 40 staged, 6 pulling, 2 failed, 3 waiting for the site budget, 1 outside the staging "
          + "windows", card.findElement(By.cssSelector(".staging-counts")).getText());
      assertEquals("failed: " + names.get(46) + " (reg/scan-upload:3.0.0: manifest unknown), " + names.get(47)
          + " (reg/scan-upload:3.0.0: manifest unknown)",
          card.findElement(By.cssSelector(".staging-state[data-state='failed']")).getText());
      assertEquals("waiting for the site budget: " + String.join(", ", names.subList(48, 51)),
          card.findElement(By.cssSelector(".staging-state[data-state='budget']")).getText());
      assertTrue(card.findElements(By.cssSelector(".staging-state[data-state='staged']")).isEmpty(),
          "staged nodes are counted, not named");
      Files.createDirectories(Path.of("target"));
      Files.copy(b.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "dashboard-staging.png"),
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      b.quit();
      page.http().stop(0);
    }
  }

  /** The dashboard over {@code cache}, served as the operator serves it, on a free loopback port. */
  private record Served(BoardReader reader, com.sun.net.httpserver.HttpServer http) {
    static Served on(FakeCache cache) throws java.io.IOException {
      var reader = new BoardReader(cache, new io.edgewave.operator.fleet.FleetFacts(), java.time.Clock.systemUTC(),
          io.edgewave.operator.demo.SimulatedFleet.SITE_LABEL, Duration.ofSeconds(1));
      var http = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext("/", new DashboardHandler(reader));
      http.start();
      return new Served(reader, http);
    }

    String url() { return "http://127.0.0.1:" + http.getAddress().getPort() + "/"; }
  }

  private static boolean killedBoxesShownLost(ChromeDriver b, ByteArrayOutputStream buf) {
    List<String> killed = killed(buf);
    if (killed.isEmpty()) return false;
    for (String node : killed) {
      if (b.findElements(By.cssSelector("#lost tr[data-node='" + node + "'][data-state='lost']")).isEmpty()) return false;
    }
    return true;
  }

  /** What a failure report needs: the demo's own lines and what the board served (its lost section first). */
  private static String diagnosis(String url, ByteArrayOutputStream buf) {
    String board;
    try {
      board = new String(URI.create(url).resolve("/api/board").toURL().openStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      int at = board.indexOf("\"lost\":[");
      board = (at < 0 ? board : board.substring(at)).replaceAll("\\s+", " ");
      if (board.length() > 4000) board = board.substring(0, 4000) + "...";
    } catch (Exception e) {
      board = "(board not read: " + e + ")";
    }
    String demo = buf.toString();
    if (demo.length() > 4000) demo = "..." + demo.substring(demo.length() - 4000);
    return "killed: " + killed(buf) + "\nboard: " + board + "\ndemo output:\n" + demo;
  }

  /** The page redraws its cards every poll: a card found a moment ago may be gone; look again (-1: not yet). */
  private static int wavesCompleted(ChromeDriver b, String release) {
    try {
      var cards = b.findElements(By.cssSelector(".release[data-release='" + release + "']"));
      return cards.isEmpty() ? -1 : Integer.parseInt(cards.get(0).getAttribute("data-waves-completed"));
    } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
      return -1;
    }
  }

  /** The demo names its victims: "killed 2 GPU boxes (...): a, b". */
  static List<String> killed(ByteArrayOutputStream buf) {
    Matcher m = Pattern.compile("killed \\d+ GPU boxes \\(.*?\\): (.*)").matcher(buf.toString());
    List<String> out = new ArrayList<>();
    if (m.find()) for (String n : m.group(1).split(",")) if (!n.isBlank()) out.add(n.strip());
    return out;
  }
}
