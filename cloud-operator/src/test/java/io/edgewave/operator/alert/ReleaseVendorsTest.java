package io.edgewave.operator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewave.operator.api.v1alpha1.Notice;
import io.edgewave.operator.notice.ReleaseMessage;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Release notifications through each vendor: the same signing as alerts (the vectors of {@link WebhookVendorTest},
 * computed with openssl), the words of {@link ReleaseMessage}, the approve command and the event ids.
 */
class ReleaseVendorsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String AT = "2026-12-01T08:00:00Z";
  static final ReleaseMessage APPROVAL = ReleaseMessage.of("logistics", "scan-upload", "uid-1", List.of(
      new Notice(4, "WAVE_COMPLETED", AT, "canary", "1/3 canary: 3 ready, 0 failed"),
      new Notice(5, "AWAITING_APPROVAL", AT, "early", null)), false);
  static final String TITLE = "edgewave: logistics/scan-upload: wave canary completed, waiting for approval";
  static final String COMMAND = "kubectl edgewave approve scan-upload --wave early -n logistics";

  static JsonNode json(WebhookRequest r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void dingTalkSignsTheUrlAsForAlertsAndShowsTheCommandAsCode() throws Exception {
    WebhookRequest r = new DingTalkRobot().release("https://oapi.dingtalk.com/robot/send?access_token=x",
        "SECdemo123", APPROVAL, Instant.ofEpochMilli(1700000000000L));
    assertEquals(URI.create("https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1700000000000"
        + "&sign=imhjUyccMWrEIuwTZX5N%2BpQn4Ak5Z73kYWY%2F9M8b3wA%3D"), r.url());
    JsonNode md = json(r).path("markdown");
    assertEquals(TITLE, md.path("title").asText());
    assertEquals("### " + TITLE + "\n- wave canary completed: 1/3 canary: 3 ready, 0 failed\n"
        + "- wave early is waiting for approval\n  approve: `" + COMMAND + "`\n\nevent uid-1/4 .. 5",
        md.path("text").asText());
  }

  @Test
  void feishuSignsInsideTheBody() throws Exception {
    String url = "https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c";
    WebhookRequest r = new FeishuRobot().release(url, "SECfeishu456", APPROVAL, Instant.ofEpochSecond(1700000000L));
    assertEquals(URI.create(url), r.url());
    JsonNode body = json(r);
    assertEquals("1700000000", body.path("timestamp").asText());
    assertEquals("FmTsN4r4iHZVexY3HH+9ujEJuHMz7dEGi5l0Vb6qZ2g=", body.path("sign").asText());
    assertTrue(body.path("content").path("text").asText().contains("  approve: " + COMMAND + "\n"));
  }

  @Test
  void slackIsOneMrkdwnTextAndUnsigned() throws Exception {
    String url = "https://hooks.slack.com/services/T0/B0/x";
    WebhookRequest r = new SlackWebhook().release(url, "ignored", APPROVAL, Instant.EPOCH);
    assertEquals(URI.create(url), r.url());
    assertEquals("*" + TITLE + "*\n• wave canary completed: 1/3 canary: 3 ready, 0 failed\n"
        + "• wave early is waiting for approval\n  approve: `" + COMMAND + "`\n_event uid-1/4 .. 5_",
        json(r).path("text").asText());
  }

  @Test
  void weComStaysUnderItsByteLimit() throws Exception {
    List<Notice> many = new ArrayList<>();
    for (int i = 1; i <= 16; i++) many.add(new Notice(i, "HALTED", AT, null, "失败".repeat(150)));
    WebhookRequest r = new WeComRobot().release("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", null,
        ReleaseMessage.of("ns", "r", "u", many, false), Instant.EPOCH);
    String content = json(r).path("markdown").path("content").asText();
    assertTrue(AlertText.utf8(content) <= WeComRobot.MAX_CONTENT_BYTES, "bytes: " + AlertText.utf8(content));
    assertTrue(content.startsWith("### edgewave: ns/r: halted\n"));
    String small = json(new WeComRobot().release("https://x/send?key=k", null, APPROVAL, Instant.EPOCH))
        .path("markdown").path("content").asText();
    assertTrue(small.contains("`" + COMMAND + "`"), small);
  }

  @Test
  void genericJsonHasEveryEventWithItsIdForReceiversThatDropRepeats() throws Exception {
    JsonNode body = json(new GenericJsonWebhook().release("http://receiver/hook", null, APPROVAL, Instant.EPOCH));
    assertEquals("edgewave.release", body.path("kind").asText());
    assertEquals("logistics/scan-upload", body.path("release").asText());
    assertFalse(body.path("maybeRepeat").asBoolean());
    JsonNode events = body.path("events");
    assertEquals(2, events.size());
    assertEquals("uid-1/4", events.get(0).path("id").asText());
    assertEquals("WAVE_COMPLETED", events.get(0).path("kind").asText());
    assertEquals("AWAITING_APPROVAL", events.get(1).path("kind").asText());
    assertEquals("early", events.get(1).path("wave").asText());
    assertEquals(COMMAND, events.get(1).path("command").asText());
    assertEquals(AT, events.get(1).path("at").asText());
  }
}
