package io.edgewave.operator.rollout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.CrdYaml;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.demo.AuditedApi;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Release notifications with the real operator: two replicas with leader election on one mock API server, a local
 * DingTalk robot that checks signatures and a local Slack webhook. One release goes through a paused bake, an
 * approval gate and success; another succeeds, then a bad revision rolls back. The leader is stopped mid-rollout.
 * Each destination must get every event of each release once, in order: ids 1..N with no gap and no repeat.
 */
class ReleaseNotificationsIT {
  static final String NS = OperatorHarness.NS;
  static final String DING_SECRET = "SECtest0123456789";
  static final String APPROVAL_PLAN = """
      workload:
        template:
          metadata: {labels: {app: scan-upload}}
          spec: {containers: [{name: app, image: "reg/scan-upload:2.4.1"}]}
      targets:
        selector: {matchLabels: {edgewave.io/class: transit-center}}
      strategy:
        waves:
        - {name: canary, selector: {matchLabels: {edgewave.io/site: hangzhou-01}}, bakeTime: 8s}
        - {name: early, size: "30%", approval: true}
        - {name: rest}
        progressDeadline: 5m
        onFailure: Halt
      """;
  static final Duration T = Duration.ofSeconds(90);

  @Test
  void everyEventOfEachReleaseArrivesOnceInOrderAtEachDestinationThroughALeaderChange() throws Exception {
    AuditedApi audit = new AuditedApi();
    var api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)), audit);
    Instant began = Instant.now();
    try (OperatorHarness h = OperatorHarness.on(api, 30, 0);
        ChatRobot ding = ChatRobot.dingTalk(DING_SECRET);
        ChatRobot slack = ChatRobot.slack()) {
      ding.secretIn(h.client, NS, "ops-dingtalk");
      slack.secretIn(h.client, NS, "ops-slack");
      Map<String, Assembly> replicas = new LinkedHashMap<>();
      Map<String, EdgewaveMetrics> metrics = new HashMap<>();
      List<KubernetesClient> clients = new ArrayList<>();
      try {
        for (String name : List.of("replica-a", "replica-b")) {
          KubernetesClient c = new KubernetesClientBuilder().withConfig(new ConfigBuilder(h.client.getConfiguration())
              .withOauthToken(name).build()).build();
          clients.add(c);
          Map<String, String> flags = new HashMap<>(LeaderElectionIT.FAST_LEASE);
          flags.put("port", "0");
          flags.put("notify-window", "1s");
          EdgewaveMetrics m = new EdgewaveMetrics();
          metrics.put(name, m);
          replicas.put(name, Assembly.start(OperatorConfig.parse(flags, Map.of("POD_NAME", name)),
              Assembly.Wiring.on(c, h.clock).sharing(m, new io.edgewave.operator.fleet.FleetFacts()).stayOnLostLease()
                  .alertRetry(Duration.ofMillis(200))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.holderAt(Instant.now()) != null);

        EdgeRelease scan = release("scan-upload", APPROVAL_PLAN);
        h.client.resources(EdgeRelease.class).inNamespace(NS).resource(scan).create();
        EdgeRelease route = release("route-sync",
            EdgeReleaseRolloutIT.THREE_WAVES.formatted("2.4.1", "0", "Rollback").replace("scan-upload", "route-sync"));
        h.client.resources(EdgeRelease.class).inNamespace(NS).resource(route).create();

        // the leader goes while the canaries roll out, after it sent the first messages
        await().atMost(T).until(() -> !h.kubelet.dispatches().isEmpty() && !ding.of("logistics/scan-upload").isEmpty()
            && !slack.of("logistics/scan-upload").isEmpty());
        String first = audit.holderAt(Instant.now());
        replicas.remove(first).close();
        assertTrue(h.get("scan-upload").getStatus().getPhase() != Phase.Succeeded, "mid-rollout");

        // scan-upload: paused during the canary's bake, resumed, then its approval gate
        h.awaitPhase("scan-upload", Phase.Baking, T);
        h.edit("scan-upload", er -> {
          er.getSpec().setPaused(true);
          return er;
        });
        h.awaitPhase("scan-upload", Phase.Paused, T);
        h.edit("scan-upload", er -> {
          er.getSpec().setPaused(false);
          return er;
        });
        EdgeRelease waiting = h.awaitPhase("scan-upload", Phase.AwaitingApproval, T);
        String command = "kubectl edgewave approve scan-upload --wave early -n logistics";
        await("the approval message, with its command").atMost(T)
            .until(() -> ding.texts().stream().anyMatch(t -> t.contains("`" + command + "`"))
                && slack.texts().stream().anyMatch(t -> t.contains("`" + command + "`")));
        h.edit("scan-upload", er -> {
          er.getMetadata().getAnnotations().put(Labels.APPROVE, "early@" + waiting.getStatus().getRollout());
          return er;
        });
        h.awaitPhase("scan-upload", Phase.Succeeded, T);

        // route-sync: succeeded, then a revision that fails beyond the canary site rolls back
        h.awaitPhase("route-sync", Phase.Succeeded, T);
        h.nodeNames(n -> !OperatorHarness.inSite(n, "hangzhou-01")).forEach(h.kubelet::failNode);
        h.edit("route-sync", er -> {
          er.setSpec(OperatorHarness.spec(EdgeReleaseRolloutIT.THREE_WAVES.formatted("2.5.0", "0", "Rollback")
              .replace("scan-upload", "route-sync")));
          return er;
        });
        EdgeRelease rolledBack = h.awaitPhase("route-sync", Phase.RolledBack, T);

        // every recorded event delivered everywhere: the outboxes drain
        for (String r : List.of("scan-upload", "route-sync")) {
          h.awaitRelease(r, er -> er.getStatus().getNotices() != null && er.getStatus().getNotices().getOutbox().isEmpty(),
              T, r + "'s outbox drained");
        }
        long scanEvents = h.get("scan-upload").getStatus().getNotices().getSeq();
        long routeEvents = rolledBack.getStatus().getNotices() == null ? 0
            : h.get("route-sync").getStatus().getNotices().getSeq();

        List<String> scanExpected = List.of("rollout started", "wave canary started", "wave canary completed",
            "paused", "resumed", "wave early is waiting for approval", "wave early started", "wave early completed",
            "wave rest started", "wave rest completed", "succeeded");
        for (ChatRobot robot : List.of(ding, slack)) {
          var scanGot = robot.of("logistics/scan-upload");
          assertEquals(LongStream.rangeClosed(1, scanEvents).boxed().toList(),
              scanGot.stream().map(ChatRobot.Received::seq).toList(), "each event once, in order: " + scanGot);
          assertEquals(scanExpected, scanGot.stream().map(e -> head(e.line())).toList());
          var routeGot = robot.of("logistics/route-sync");
          assertEquals(LongStream.rangeClosed(1, routeEvents).boxed().toList(),
              routeGot.stream().map(ChatRobot.Received::seq).toList(), "each event once, in order: " + routeGot);
          List<String> heads = routeGot.stream().map(e -> head(e.line())).toList();
          assertEquals("succeeded", heads.get(heads.lastIndexOf("rollout started") - 1), heads.toString());
          assertEquals(List.of("halted, rolling back", "rolled back"), heads.subList(heads.size() - 2, heads.size()));
          assertTrue(routeGot.get(routeGot.size() - 2).line().contains("CrashLoopBackOff"),
              "the rollback says why: " + routeGot.get(routeGot.size() - 2));
          assertEquals(List.of(), robot.refused(), "every DingTalk request was signed right");
          assertTrue(robot.texts().stream().noneMatch(t -> t.contains("may repeat")), "a graceful stop repeats nothing");
        }
        System.out.printf("ReleaseNotificationsIT: %d + %d events; messages: dingtalk %d, slack %d; %d s%n",
            scanEvents, routeEvents, ding.texts().size(), slack.texts().size(),
            Duration.between(began, Instant.now()).toSeconds());
        String second = metrics.keySet().stream().filter(r -> !r.equals(first)).findFirst().orElseThrow();
        assertTrue(metrics.get(first).notificationEvents() > 0 && metrics.get(second).notificationEvents() > 0,
            "both leaders sent, each in its term");
        assertEquals(List.of(), audit.byNonHolders("replica-"), "writes (claims, acknowledgements) by a non-holder");
        long sentByAny = metrics.values().stream().mapToLong(EdgewaveMetrics::notificationEvents).sum();
        assertEquals(2 * (scanEvents + routeEvents), sentByAny, "events sent, over both replicas and destinations");
      } finally {
        replicas.values().forEach(Assembly::close);
        clients.forEach(KubernetesClient::close);
      }
    }
  }

  /**
   * The crash window, set up as a leader that died leaves it: events claimed by replica-dead, never acknowledged. The
   * new leader sends them again, saying they may repeat, with their ids; a misnamed and a missing destination each
   * give one Warning Event naming the annotation and the fix, and cost the good destination nothing.
   */
  @Test
  void eventsALeaderClaimedButNeverAcknowledgedAreSentAgainMarkedAsAPossibleRepeat() throws Exception {
    try (var api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)));
        ChatRobot slack = ChatRobot.slack()) {
      KubernetesClient client = api.client();
      slack.secretIn(client, NS, "ops-slack");
      EdgeRelease er = release("scan-upload", APPROVAL_PLAN);
      er.getMetadata().getAnnotations().put("edgewave.io/notify", "logistics/ops-slack,oops,logistics/missing");
      er = client.resources(EdgeRelease.class).inNamespace(NS).resource(er).create();
      var status = new io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus();
      status.setPhase(Phase.Baking);
      var n = new io.edgewave.operator.api.v1alpha1.Notices();
      n.setSeq(3L);
      n.getOutbox().add(new io.edgewave.operator.api.v1alpha1.Notice(2, "WAVE_STARTED", "2026-12-01T08:00:00Z",
          "canary", "1/3 canary: 3 nodes"));
      n.getOutbox().add(new io.edgewave.operator.api.v1alpha1.Notice(3, "WAVE_COMPLETED", "2026-12-01T08:00:05Z",
          "canary", "1/3 canary: 3 ready, 0 failed"));
      n.getCursors().add(new io.edgewave.operator.api.v1alpha1.NoticeCursor("logistics/ops-slack", 1L, 3L,
          "replica-dead"));
      status.setNotices(n);
      er.setStatus(status);
      client.resources(EdgeRelease.class).inNamespace(NS).resource(er).updateStatus();

      EdgewaveMetrics metrics = new EdgewaveMetrics();
      try (var poster = new io.edgewave.operator.alert.NoticePoster(new io.edgewave.operator.kube.WebhookSecrets(client),
              java.time.Clock.systemUTC(), Duration.ofMillis(100));
          var outbox = new io.edgewave.operator.kube.ReleaseOutbox(client, java.time.Clock.systemUTC(),
              () -> client.resources(EdgeRelease.class).inNamespace(NS).list().getItems(), poster, metrics, List.of(),
              Duration.ofSeconds(1), "replica-b")) {
        outbox.lead();
        await("the repeat").atMost(T).until(() -> slack.of("logistics/scan-upload").size() >= 2);
        assertEquals(List.of(2L, 3L), slack.of("logistics/scan-upload").stream().map(ChatRobot.Received::seq).toList());
        assertTrue(slack.texts().get(0).contains("may repeat events already sent"), slack.texts().get(0));
        await("the acknowledgement").atMost(T).until(() -> {
          var c = io.edgewave.operator.notice.ReleaseNotices.cursor(client.resources(EdgeRelease.class)
              .inNamespace(NS).withName("scan-upload").get().getStatus().getNotices(), "logistics/ops-slack");
          return c.getAcked() == 3L;
        });
        await("a Warning Event per bad destination").atMost(T).until(() -> client.v1().events().inNamespace(NS).list()
            .getItems().stream().filter(e -> "NotifyMisconfigured".equals(e.getReason())).count() == 2);
        List<String> warnings = client.v1().events().inNamespace(NS).list().getItems().stream()
            .filter(e -> "NotifyMisconfigured".equals(e.getReason())).map(e -> e.getType() + " " + e.getMessage())
            .sorted().toList();
        assertTrue(warnings.get(0).startsWith("Warning edgewave.io/notify: \"oops\" is not namespace/secret; write"),
            warnings.toString());
        assertTrue(warnings.get(1).startsWith("Warning edgewave.io/notify: logistics/missing: Secret not found; create"
            + " that Secret with keys url, format"), warnings.toString());
        assertEquals(2, metrics.notificationEvents());
      }
      assertEquals(1, slack.texts().size(), "sent once: the new claim is this replica's own");
    }
  }

  /** The line up to its details: "wave early started", "halted, rolling back". */
  static String head(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? line : line.substring(0, colon);
  }

  static EdgeRelease release(String name, String spec) {
    EdgeRelease er = new EdgeRelease();
    er.getMetadata().setName(name);
    er.getMetadata().setNamespace(NS);
    er.getMetadata().setAnnotations(new HashMap<>(Map.of("edgewave.io/notify",
        NS + "/ops-dingtalk," + NS + "/ops-slack")));
    er.setSpec(OperatorHarness.spec(spec));
    return er;
  }
}
