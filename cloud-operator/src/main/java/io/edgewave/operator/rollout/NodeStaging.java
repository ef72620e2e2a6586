package io.edgewave.operator.rollout;

/**
 * Where one target not yet on the revision stands with staging, as the decider saw it this round: for the dashboard,
 * in memory only (status keeps counts; this is per node and recomputed each reconcile from the pre-pull objects and
 * the Nodes).
 *
 * @param detail for PULLING the kubelet's word while it retries (or null), for FAILED the image and the error, for
 *     SKIPPED and HELD the classifier's reason; else null
 */
public record NodeStaging(State state, String detail) {
  /** In the order the dashboard lists them; {@code code} is its name in the board's JSON. */
  public enum State {
    STAGED("staged"),
    PULLING("pulling"),
    FAILED("failed"),
    /** Waiting for its site's {@code maxPullsPerSite} budget. */
    BUDGET("budget"),
    /** Outside {@code staging.windows}. */
    WINDOW("window"),
    /** With start BeforeWindow: more than {@code leadTime} before its maintenance window opens. */
    LEAD_TIME("leadTime"),
    OFFLINE("offline"),
    /** Fails a preflight rule: never pulled, never started. */
    SKIPPED("skipped"),
    /** Waiting for probe facts before it may be judged. */
    HELD("held"),
    /** None of the above this round: the write budget ran out, the rollout is paused or waits for notBefore, or its
     *  maintenance windows never open. */
    QUEUED("queued");

    public final String code;

    State(String code) { this.code = code; }
  }

  static NodeStaging of(State state) { return new NodeStaging(state, null); }
}
