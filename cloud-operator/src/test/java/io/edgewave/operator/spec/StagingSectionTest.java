package io.edgewave.operator.spec;

import static io.edgewave.operator.spec.Sections.reported;
import static io.edgewave.operator.spec.Sections.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewave.operator.api.v1alpha1.Schedule;
import io.edgewave.operator.api.v1alpha1.Staging;
import io.edgewave.operator.api.v1alpha1.StagingMethod;
import io.edgewave.operator.api.v1alpha1.StagingStart;
import io.edgewave.operator.plan.Amount;
import io.edgewave.operator.plan.StagingPolicy;
import io.edgewave.operator.plan.WindowPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagingSectionTest {
  static final Schedule NIGHTS = yaml("windows: [{cron: \"0 0 0 * * ?\", duration: 6h}]", Schedule.class);

  static List<String> errorsOf(String staging, Schedule schedule) {
    FieldErrors errors = new FieldErrors();
    StagingSection.parse(yaml(staging, Staging.class), schedule, errors);
    return reported(errors);
  }

  @Test
  void noStagingIsOff() {
    assertNull(StagingSection.parse(null, null, new FieldErrors()));
  }

  @Test
  void anEmptyStagingMeansEveryDefault() {
    FieldErrors errors = new FieldErrors();
    StagingPolicy p = StagingSection.parse(new Staging(), null, errors);
    assertEquals(List.of(), reported(errors));
    assertEquals(StagingPolicy.defaults(), p);
    assertEquals(2, p.maxPullsPerSite());
    assertEquals(StagingStart.Immediately, p.start());
    assertEquals(Duration.ofMinutes(30), p.timeout());
    assertEquals(10, p.required(10), "every online member by default");
  }

  @Test
  void aFullStagingBecomesItsPolicy() {
    FieldErrors errors = new FieldErrors();
    StagingPolicy p = StagingSection.parse(yaml("""
        start: BeforeWindow
        leadTime: 6h
        maxPullsPerSite: 3
        windows: [{cron: "0 0 10 * * ?", duration: 6h, timeZone: Asia/Shanghai}]
        requiredShare: "90%"
        method: Pod
        timeout: 45m
        """, Staging.class), NIGHTS, errors);
    assertEquals(List.of(), reported(errors));
    assertEquals(new StagingPolicy(StagingStart.BeforeWindow, Duration.ofHours(6), 3, List.of(new WindowPolicy(
        "0 0 10 * * ?", Duration.ofHours(6), ZoneId.of("Asia/Shanghai"), null)), Amount.parse("90%"),
        StagingMethod.Pod, Duration.ofMinutes(45)), p);
    assertEquals(9, p.required(10), "90 % of 10");
    assertEquals(1, p.required(1), "rounds up: a wave of one needs its one");
  }

  @Test
  void everyMistakeNamesItsFieldAndTheFix() {
    assertEquals(List.of("spec.strategy.staging.leadTime: is missing; with start: BeforeWindow say how long before a"
        + " wave's window its nodes start pulling, e.g. 6h",
        "spec.strategy.staging.start: is BeforeWindow but spec.schedule.windows is empty; add a maintenance window, or"
        + " use start: Immediately"), errorsOf("start: BeforeWindow", null));
    assertEquals(List.of("spec.strategy.staging.leadTime: is set but start is Immediately, which ignores it; set start:"
        + " BeforeWindow or remove leadTime"), errorsOf("leadTime: 2h", NIGHTS));
    assertEquals(List.of("spec.strategy.staging.maxPullsPerSite: is 0; use 1 to 100, e.g. 2"),
        errorsOf("maxPullsPerSite: 0", null));
    assertEquals(List.of("spec.strategy.staging.requiredShare: is 0, so staging would never hold a wave; use e.g."
        + " 100% or 90%, or remove staging"), errorsOf("requiredShare: \"0\"", null));
    assertEquals(List.of("spec.strategy.staging.timeout: is shorter than 1m; give a large image time to come over a"
        + " thin uplink, e.g. 30m"), errorsOf("timeout: 30s", null));
    // whether the cluster serves ImagePrePullJobs is the reconciler's question (PrePullMethod), not the spec's
    assertEquals(List.of(), errorsOf("method: ImagePrePullJob", null));
    assertEquals("spec.strategy.staging.windows[0].duration: is missing; say how long the window stays open, e.g. 6h",
        errorsOf("windows: [{cron: \"0 0 10 * * ?\"}]", null).get(0));
  }
}
