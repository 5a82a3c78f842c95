package io.github.researchcycle.core.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.model.RunStatus;
import org.junit.jupiter.api.Test;

/** Every final Slurm state becomes the run status the issue names, with a reason that says what to do. */
class SlurmStatesTest {
  static final String ID = "20261127-025120-123-k3f9x2ab";

  static SlurmStates.Outcome of(String state, Integer code, Integer signal, String reason) {
    return SlurmStates.outcome(new SlurmClient.State(state, code, signal, reason), ID, "launch/slurm.yaml",
        "01:00:00", "8G");
  }

  @Test
  void completedIsFinished() {
    SlurmStates.Outcome o = of("COMPLETED", 0, 0, null);
    assertEquals(RunStatus.FINISHED, o.status());
    assertNull(o.reason());
    assertEquals(0, o.exitCode());
  }

  @Test
  void failedKeepsTheExitCode() {
    SlurmStates.Outcome o = of("FAILED", 3, 0, "NonZeroExitCode");
    assertEquals(RunStatus.FAILED, o.status());
    assertEquals(3, o.exitCode());
    assertEquals("the training process exited with code 3; see runs/" + ID + "/output.log", o.reason());
    assertEquals(RunStatus.CRASHED, of("FAILED", 137, 0, null).status());
    assertEquals(RunStatus.INTERRUPTED, of("FAILED", 143, 0, null).status());
    assertEquals(RunStatus.CRASHED, of("FAILED", 0, 9, null).status());
    SlurmStates.Outcome launch = of("FAILED", 0, 0, "JobLaunchFailure");
    assertEquals(RunStatus.FAILED, launch.status());
    assertTrue(launch.reason().contains("JobLaunchFailure"), launch.reason());
  }

  @Test
  void cancelledAndTimedOutMayBeResumed() {
    SlurmStates.Outcome c = of("CANCELLED", 0, 15, "by 0");
    assertEquals(RunStatus.CANCELLED, c.status());
    assertEquals("the Slurm job was cancelled by uid 0 (scancel); continue it with -Dresearch.resume=" + ID,
        c.reason());
    SlurmStates.Outcome t = of("TIMEOUT", 0, 15, null);
    assertEquals(RunStatus.TIMED_OUT, t.status());
    assertTrue(t.reason().contains("timeLimit 01:00:00 in launch/slurm.yaml"), t.reason());
    assertTrue(c.status().resumable() && t.status().resumable());
    assertEquals(RunStatus.TIMED_OUT, of("DEADLINE", null, null, null).status());
  }

  @Test
  void theClusterEndingAJobIsACrash() {
    for (String s : new String[] {"OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "PREEMPTED", "SOMETHING_NEW"}) {
      assertEquals(RunStatus.CRASHED, of(s, 0, 0, null).status(), s);
    }
    assertTrue(of("OUT_OF_MEMORY", 0, 0, null).reason().contains("Fix: raise `memory` in launch/slurm.yaml"));
  }

  @Test
  void statesKnowWhetherTheyEnded() {
    assertTrue(new SlurmClient.State("TIMEOUT", null, null, null).ended());
    assertFalse(new SlurmClient.State("PENDING", null, null, null).ended());
    assertFalse(new SlurmClient.State("PENDING", null, null, null).running());
    assertTrue(new SlurmClient.State("COMPLETING", null, null, null).running());
    assertFalse(new SlurmClient.State("COMPLETING", null, null, null).ended());
  }
}
