package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The approve and abort annotations, each naming the rollout attempt it is for. */
class ApprovalsTest {
  static final String ATTEMPT = "3f2a9c1b7e.1764518400";
  static final String EARLIER = "3f2a9c1b7e.1764432000";

  @Test
  void anApprovalNamesAWaveOfThisAttempt() {
    assertEquals(Set.of("canary"), Approvals.wavesApproved("canary@" + ATTEMPT, ATTEMPT));
  }

  @Test
  void severalApprovalsAreReadAndSpacesAroundPartsAreIgnored() {
    assertEquals(Set.of("canary", "broad", "rest"),
        Approvals.wavesApproved(" canary@" + ATTEMPT + " , broad @ " + ATTEMPT + ",rest@" + ATTEMPT + " ", ATTEMPT));
  }

  @Test
  void approvalsOfOtherAttemptsEvenOfTheSameRevisionAreIgnored() {
    String annotation = "canary@" + EARLIER + ",broad@" + EARLIER + ",broad@" + ATTEMPT + ",rest@other.1";
    assertEquals(Set.of("broad"), Approvals.wavesApproved(annotation, ATTEMPT));
    assertEquals(Set.of("canary", "broad"), Approvals.wavesApproved(annotation, EARLIER));
    assertEquals(Set.of(), Approvals.wavesApproved("canary@3f2a9c1b7e", ATTEMPT), "the revision alone is not the attempt");
  }

  @Test
  void withoutAnAttemptOrAnAnnotationNothingIsApproved() {
    assertEquals(Set.of(), Approvals.wavesApproved("canary@" + ATTEMPT, null));
    assertEquals(Set.of(), Approvals.wavesApproved(null, ATTEMPT));
    assertEquals(Set.of(), Approvals.wavesApproved("", ATTEMPT));
  }

  @Test
  void malformedPartsApproveNothingAndSpoilNoOtherPart() {
    assertEquals(Set.of("broad"), Approvals.wavesApproved(
        "canary,@" + ATTEMPT + ", @" + ATTEMPT + ",,rest@" + ATTEMPT + "@x,broad@" + ATTEMPT, ATTEMPT));
  }

  @Test
  void anAbortHaltsOrRollsBackOnlyItsOwnAttempt() {
    assertEquals(RolloutInput.Abort.HALT, Approvals.abort(ATTEMPT, ATTEMPT));
    assertEquals(RolloutInput.Abort.ROLLBACK, Approvals.abort(ATTEMPT + "/rollback", ATTEMPT));
    assertEquals(RolloutInput.Abort.ROLLBACK, Approvals.abort(" " + ATTEMPT + " / rollback ", ATTEMPT));
    assertEquals(RolloutInput.Abort.NONE, Approvals.abort(EARLIER + "/rollback", ATTEMPT));
    assertEquals(RolloutInput.Abort.NONE, Approvals.abort(ATTEMPT, null));
    assertEquals(RolloutInput.Abort.NONE, Approvals.abort(null, ATTEMPT));
  }
}
