package io.edgewave.operator.notice;

/** What happened to a release that people are told of; the name is the wire value (generic JSON, status). */
public enum NoticeKind {
  ROLLOUT_STARTED("rollout started"),
  RESUMED("resumed"),
  WAVE_STARTED("wave started"),
  WAVE_COMPLETED("wave completed"),
  AWAITING_APPROVAL("waiting for approval"),
  PAUSED("paused"),
  HALTED("halted"),
  ROLLING_BACK("halted, rolling back"),
  ROLLED_BACK("rolled back"),
  SUCCEEDED("succeeded"),
  STUCK("stuck");

  private final String words;

  NoticeKind(String words) {
    this.words = words;
  }

  public String words() {
    return words;
  }

  /** Kinds that need a person (a warning in chat); the others are news. */
  public boolean needsAction() {
    return this == AWAITING_APPROVAL || this == HALTED || this == ROLLING_BACK || this == ROLLED_BACK || this == STUCK;
  }
}
