package io.edgewave.operator.alert;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each vendor builds the whole request. Signatures are checked against values computed outside Java (the
 * openssl commands are next to each vector), so a mistake shared by the code and its test cannot pass.
 */
class WebhookVendorTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<Alert> ONE = List.of(new Alert("gpu-hz-001", Alert.Kind.LOST, T0, Duration.ofSeconds(33),
      "lost 40 s after release camera-inference revision 3f2a9c1b7e was applied in wave batch-1"));

  static JsonNode json(WebhookRequest r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void dingTalkUrlCarriesTheRobotSignature() {
    // expected value computed independently with Python's hmac module, and again with
    //   printf '1700000000000\nSECdemo123' | openssl dgst -sha256 -hmac 'SECdemo123' -binary | openssl base64 -A
    // -> imhjUyccMWrEIuwTZX5N+pQn4Ak5Z73kYWY/9M8b3wA= (then URL-encoded)
    assertEquals("https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1700000000000"
        + "&sign=imhjUyccMWrEIuwTZX5N%2BpQn4Ak5Z73kYWY%2F9M8b3wA%3D",
        DingTalkRobot.signedUrl("https://oapi.dingtalk.com/robot/send?access_token=x", "SECdemo123", 1700000000000L));
  }

  @Test
  void dingTalkRobotSignsTheUrlWithTheTimeOfTheAttemptAndSendsMarkdown() throws Exception {
    WebhookRequest r = new DingTalkRobot().request("https://oapi.dingtalk.com/robot/send?access_token=x", "SECdemo123",
        ONE, Instant.ofEpochMilli(1700000000000L));
    assertEquals(URI.create("https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1700000000000"
        + "&sign=imhjUyccMWrEIuwTZX5N%2BpQn4Ak5Z73kYWY%2F9M8b3wA%3D"), r.url());
    assertEquals("application/json; charset=utf-8", r.headers().get("Content-Type"));
    JsonNode body = json(r);
    assertEquals("markdown", body.path("msgtype").asText());
    assertEquals("edgewave: 1 node lost", body.path("markdown").path("title").asText());
    assertEquals("### edgewave: 1 node lost\n- gpu-hz-001 lost (no heartbeat for 33s); lost 40 s after release "
        + "camera-inference revision 3f2a9c1b7e was applied in wave batch-1\n", body.path("markdown").path("text").asText());
  }

  @Test
  void dingTalkRobotWithoutASecretLeavesTheUrlAlone() {
    assertEquals(URI.create("https://oapi.dingtalk.com/robot/send?access_token=x"),
        new DingTalkRobot().request("https://oapi.dingtalk.com/robot/send?access_token=x", null, ONE, T0).url());
  }

  @Test
  void feishuRobotSignsInsideTheBodyWithSecondsAndAnEmptyMessage() throws Exception {
    // expected sign computed with openssl, the key being timestamp + "\n" + secret and the data empty:
    //   printf '' | openssl dgst -sha256 -mac HMAC \
    //     -macopt hexkey:$(printf '1700000000\nSECfeishu456' | xxd -p | tr -d '\n') -binary | openssl base64 -A
    // -> FmTsN4r4iHZVexY3HH+9ujEJuHMz7dEGi5l0Vb6qZ2g=
    String url = "https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c";
    WebhookRequest r = new FeishuRobot().request(url, "SECfeishu456", ONE, Instant.ofEpochSecond(1700000000L, 999_000_000));
    assertEquals(URI.create(url), r.url(), "Feishu's signature is not in the URL");
    JsonNode body = json(r);
    assertEquals("1700000000", body.path("timestamp").asText());
    assertTrue(body.path("timestamp").isTextual(), "Feishu wants the timestamp as a string");
    assertEquals("FmTsN4r4iHZVexY3HH+9ujEJuHMz7dEGi5l0Vb6qZ2g=", body.path("sign").asText());
    assertEquals("text", body.path("msg_type").asText());
    assertEquals("edgewave: 1 node lost\n- gpu-hz-001 lost (no heartbeat for 33s); lost 40 s after release "
        + "camera-inference revision 3f2a9c1b7e was applied in wave batch-1\n", body.path("content").path("text").asText());
  }

  @Test
  void feishuRobotWithoutASecretSendsNoSignature() throws Exception {
    JsonNode body = json(new FeishuRobot().request("https://open.feishu.cn/open-apis/bot/v2/hook/0f", null, ONE, T0));
    assertFalse(body.has("sign"));
    assertFalse(body.has("timestamp"));
    assertEquals("text", body.path("msg_type").asText());
  }

  @Test
  void weComRobotSendsMarkdownContentToItsKeyedUrl() {
    // the shape of a WeCom group robot's markdown message, written out by hand from its documentation
    String url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx";
    WebhookRequest r = new WeComRobot().request(url, "ignored", ONE, T0);
    assertEquals(URI.create(url), r.url());
    assertEquals("{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"### edgewave: 1 node lost\\n"
        + "- gpu-hz-001 lost (no heartbeat for 33s); lost 40 s after release camera-inference revision 3f2a9c1b7e "
        + "was applied in wave batch-1\\n\"}}", r.body());
  }

  @Test
  void weComContentStaysWithinItsLimitAndCountsWhatWasCut() throws Exception {
    List<Alert> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      batch.add(new Alert("边缘节点-杭州-" + i, Alert.Kind.LOST, T0, Duration.ofSeconds(33),
          "lost 40 s after release 摄像头推理 revision 3f2a9c1b7e was applied in wave 第一批"));
    }
    String content = json(new WeComRobot().request("https://qyapi.weixin.qq.com/x", null, batch, T0))
        .path("markdown").path("content").asText();
    int bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertTrue(bytes <= 4096 && bytes > 3900, bytes + " bytes");
    String[] lines = content.split("\n");
    int shown = lines.length - 2; // heading and the "more" line
    assertEquals("- ... and " + (200 - shown) + " more", lines[lines.length - 1]);
    assertTrue(shown > 10, "lines shown: " + shown);
  }

  @Test
  void aLongBatchShowsFiftyLinesAndCountsTheRest() throws Exception {
    List<Alert> batch = new ArrayList<>();
    for (int i = 0; i < 120; i++) batch.add(new Alert("gpu-" + i, Alert.Kind.LOST, T0, Duration.ofSeconds(33), null));
    String text = json(new DingTalkRobot().request("https://d", null, batch, T0)).path("markdown").path("text").asText();
    String[] lines = text.split("\n");
    assertEquals(52, lines.length);
    assertEquals("- gpu-49 lost (no heartbeat for 33s)", lines[50]);
    assertEquals("- ... and 70 more", lines[51]);
    assertEquals(120, json(new GenericJsonWebhook().request("https://g", null, batch, T0)).path("alerts").size(),
        "the generic JSON carries every alert");
  }

  @Test
  void formatsCarryTheTitleAndTheContext() {
    assertTrue(new DingTalkRobot().request("https://d", null, ONE, T0).body().contains("\"msgtype\":\"markdown\""));
    assertTrue(new SlackWebhook().request("https://s", null, ONE, T0).body().contains("edgewave: 1 node lost"));
    assertTrue(new GenericJsonWebhook().request("https://g", null, ONE, T0).body()
        .contains("\"rollout\":\"lost 40 s after release camera-inference"));
  }

  @Test
  void slackTextIsBoldTitleAndBullets() throws Exception {
    assertEquals("*edgewave: 1 node lost*\n• gpu-hz-001 lost (no heartbeat for 33s); lost 40 s after release "
        + "camera-inference revision 3f2a9c1b7e was applied in wave batch-1\n",
        json(new SlackWebhook().request("https://hooks.slack.com/services/T/B/X", null, ONE, T0)).path("text").asText());
  }

  @Test
  void genericJsonIsOneRecordPerAlert() throws Exception {
    JsonNode body = json(new GenericJsonWebhook().request("https://g", "unused", ONE, T0));
    assertEquals(JSON.readTree("{\"kind\":\"edgewave.alert\",\"title\":\"edgewave: 1 node lost\",\"alerts\":[{"
        + "\"node\":\"gpu-hz-001\",\"state\":\"LOST\",\"at\":\"2026-12-01T00:00:00Z\",\"silenceSeconds\":33,"
        + "\"rollout\":\"lost 40 s after release camera-inference revision 3f2a9c1b7e was applied in wave batch-1\"}]}"),
        body);
  }

  @Test
  void theFormatKeySelectsTheVendorAsBefore() {
    assertInstanceOf(GenericJsonWebhook.class, WebhookVendor.parse(null));
    assertInstanceOf(GenericJsonWebhook.class, WebhookVendor.parse(" "));
    assertInstanceOf(GenericJsonWebhook.class, WebhookVendor.parse("generic"));
    assertInstanceOf(DingTalkRobot.class, WebhookVendor.parse("DingTalk "));
    assertInstanceOf(SlackWebhook.class, WebhookVendor.parse("slack"));
    assertInstanceOf(WeComRobot.class, WebhookVendor.parse("wecom"));
    assertInstanceOf(FeishuRobot.class, WebhookVendor.parse("feishu"));
    assertInstanceOf(FeishuRobot.class, WebhookVendor.parse("lark"));
    var e = assertThrows(IllegalArgumentException.class, () -> WebhookVendor.parse("teams"));
    assertEquals("format \"teams\" is not generic, dingtalk, slack, wecom or feishu (lark)", e.getMessage());
  }

  @Test
  void aUrlThatCannotBePostedToIsRefusedWhenTheRequestIsBuilt() {
    assertThrows(IllegalArgumentException.class, () -> new SlackWebhook().request("not a url", null, ONE, T0));
  }

  @Test
  void retriesWaitOneTwoThenFourTimesTheBase() {
    Duration base = Duration.ofSeconds(1);
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)),
        List.of(WebhookSender.backoff(base, 1), WebhookSender.backoff(base, 2), WebhookSender.backoff(base, 3)));
  }

  @Test
  void vendorsAndBatchingDoNoIo() {
    noClasses().that().implement(WebhookVendor.class)
        .or().belongToAnyOf(WebhookVendor.class, WebhookRequest.class, AlertText.class, HmacSha256.class,
            AlertBatcher.class, Alert.class)
        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..",
            "org.eclipse.paho..", "java.net.http..", "java.io..")
        .check(new ClassFileImporter().importPackagesOf(WebhookVendor.class));
    assertEquals(5, WebhookVendor.class.getPermittedSubclasses().length);
  }
}
