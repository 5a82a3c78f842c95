package io.github.researchcycle.core.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link SlurmCommands} on canned answers, copied from Slurm 22.05 (Debian's) on a single node:
 * the commands it runs, and how it reads {@code sbatch}, {@code scontrol} and {@code sacct}.
 */
class SlurmCommandsTest {
  /** scontrol show job -o 1 while task 0 and 1 of an array run and 2-3 wait (throttled to 2). */
  static final String ARRAY_RUNNING = String.join("\n",
      "JobId=1 ArrayJobId=1 ArrayTaskId=2-3%2 ArrayTaskThrottle=2 JobName=t UserId=root(0) GroupId=root(0) "
          + "Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=PENDING Reason=JobArrayTaskLimit "
          + "Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 "
          + "Command=/tmp/w d/launch.sbatch WorkDir=/tmp/w d StdOut=/dev/null Power= ",
      "JobId=3 ArrayJobId=1 ArrayTaskId=1 ArrayTaskThrottle=2 JobName=t UserId=root(0) JobState=RUNNING "
          + "Reason=None Dependency=(null) ExitCode=0:0 RunTime=00:00:01 NodeList=vm BatchHost=vm ",
      "JobId=2 ArrayJobId=1 ArrayTaskId=0 ArrayTaskThrottle=2 JobName=t UserId=root(0) JobState=RUNNING "
          + "Reason=None Dependency=(null) ExitCode=0:0 RunTime=00:00:01 NodeList=vm BatchHost=vm ",
      "");
  /** The same array once ended: task 2 failed with code 3. */
  static final String ARRAY_ENDED = String.join("\n",
      "JobId=1 ArrayJobId=1 ArrayTaskId=3 JobName=t JobState=COMPLETED Reason=None ExitCode=0:0",
      "JobId=4 ArrayJobId=1 ArrayTaskId=2 JobName=t JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0",
      "JobId=3 ArrayJobId=1 ArrayTaskId=1 JobName=t JobState=COMPLETED Reason=None ExitCode=0:0",
      "JobId=2 ArrayJobId=1 ArrayTaskId=0 JobName=t JobState=CANCELLED Reason=None ExitCode=0:15",
      "");

  /** A runner that answers from a queue and remembers the commands. */
  static final class Scripted implements SlurmCommands.Runner {
    final Deque<SlurmCommands.Output> answers = new ArrayDeque<>();
    final List<List<String>> commands = new ArrayList<>();

    Scripted answer(int code, String stdout, String stderr) {
      answers.add(new SlurmCommands.Output(code, stdout, stderr));
      return this;
    }

    @Override
    public SlurmCommands.Output run(List<String> command, Path workDir) {
      commands.add(command);
      return answers.isEmpty() ? new SlurmCommands.Output(1, "", "no answer scripted") : answers.poll();
    }
  }

  static SlurmCommands client(Scripted runner) {
    return new SlurmCommands(runner, program -> true);
  }

  @Test
  void submitsWithParsableAndReadsTheJobId() throws IOException {
    Scripted runner = new Scripted().answer(0, "42\n", "").answer(0, "43;cluster2\n", "");
    assertEquals("42", client(runner).submit(Path.of("/r/launch.sbatch"), Path.of("/r")));
    assertEquals(List.of("sbatch", "--parsable", "/r/launch.sbatch"), runner.commands.get(0));
    assertEquals("43", client(runner).submit(Path.of("/r/launch.sbatch"), Path.of("/r")));
  }

  @Test
  void aRefusedSubmissionCarriesSlurmsWords() {
    Scripted runner = new Scripted().answer(1, "", "sbatch: error: Batch job submission failed: Invalid "
        + "partition name specified\n");
    SlurmException e = assertThrows(SlurmException.class, () -> client(runner).submit(Path.of("/s"), Path.of("/")));
    assertEquals("sbatch refused the job: sbatch: error: Batch job submission failed: Invalid partition name "
        + "specified", e.getMessage());
    assertThrows(SlurmException.class, () -> SlurmCommands.parseSubmitted("Submitted batch job 5"));
  }

  @Test
  void readsEveryTaskOfAnArrayPendingOnesIncluded() throws IOException {
    SlurmClient.Job job = client(new Scripted().answer(0, ARRAY_RUNNING, "")).job("1");
    assertTrue(job.known());
    assertEquals("RUNNING", job.task(0).orElseThrow().state());
    assertEquals("RUNNING", job.task(1).orElseThrow().state());
    assertEquals("PENDING", job.task(2).orElseThrow().state());
    assertEquals("JobArrayTaskLimit", job.task(3).orElseThrow().reason());
    assertTrue(job.task(4).isEmpty());

    job = SlurmCommands.parseShowJob(ARRAY_ENDED);
    assertEquals(new SlurmClient.State("FAILED", 3, 0, "NonZeroExitCode"), job.task(2).orElseThrow());
    assertEquals(new SlurmClient.State("CANCELLED", 0, 15, null), job.task(0).orElseThrow());
    assertEquals("COMPLETED", job.task(3).orElseThrow().state());
  }

  @Test
  void readsAPlainJob() throws IOException {
    SlurmClient.Job job = client(new Scripted().answer(0, "JobId=7 JobName=smoke UserId=root(0) JobState=TIMEOUT "
        + "Reason=TimeLimit Dependency=(null) ExitCode=0:15 Command=/w/launch.sbatch\n", "")).job("7");
    assertEquals(new SlurmClient.State("TIMEOUT", 0, 15, "TimeLimit"), job.task(null).orElseThrow());
  }

  @Test
  void anUnknownJobIsNotAnError() throws IOException {
    Scripted runner = new Scripted().answer(1, "", "slurm_load_jobs error: Invalid job id specified\n");
    assertFalse(client(runner).job("99").known());
    assertEquals(List.of("scontrol", "show", "job", "-o", "99"), runner.commands.get(0));
    Scripted down = new Scripted().answer(1, "", "slurm_load_jobs error: Unable to contact slurm controller "
        + "(connect failure)\n");
    SlurmException e = assertThrows(SlurmException.class, () -> client(down).job("99"));
    assertTrue(e.getMessage().contains("Unable to contact slurm controller"), e.getMessage());
  }

  @Test
  void taskListsExpand() {
    assertEquals(List.of(3), SlurmCommands.taskIndices("3"));
    assertEquals(List.of(2, 3, 4, 5), SlurmCommands.taskIndices("2-5%2"));
    assertEquals(List.of(1, 4, 6, 8), SlurmCommands.taskIndices("1,4-8:2"));
  }

  @Test
  void accountingFirstThenTheJobCompletionFileByRawId() throws IOException {
    Scripted withDaemon = new Scripted().answer(0, "12_3|CANCELLED by 0|0:15\n", "");
    Optional<SlurmClient.State> s = client(withDaemon).accounting("12", 3, "15");
    assertEquals(new SlurmClient.State("CANCELLED", 0, 15, "by 0"), s.orElseThrow());
    assertEquals(List.of("sacct", "-n", "-P", "-X", "-j", "12_3", "-o", "JobID,State,ExitCode"),
        withDaemon.commands.get(0));

    // No slurmdbd: sacct says so, and sacct -c (jobcomp/filetxt) knows the task by its own id only.
    Scripted jobcomp = new Scripted().answer(1, "", "Slurm accounting storage is disabled\n")
        .answer(0, "3|COMPLETED|0:0\n2|COMPLETED|0:0\n15|TIMEOUT|0:15\n", "sacct: error: Unknown type ArrayJobId: 12\n");
    s = client(jobcomp).accounting("12", 3, "15");
    assertEquals(new SlurmClient.State("TIMEOUT", 0, 15, null), s.orElseThrow());
    assertEquals(List.of("sacct", "-c", "-n", "-P", "-j", "15", "-o", "JobID,State,ExitCode"), jobcomp.commands.get(1));

    Scripted nothing = new Scripted().answer(0, "", "").answer(0, "", "");
    assertTrue(client(nothing).accounting("12", 3, null).isEmpty(), "an array task without its raw id");
    assertEquals(1, nothing.commands.size());
  }

  @Test
  void unavailableSaysWhy() {
    SlurmCommands noSbatch = new SlurmCommands(new Scripted(), p -> !p.equals("sbatch"));
    assertTrue(noSbatch.unavailable().orElseThrow().startsWith("sbatch is not on the PATH"));
    SlurmCommands down = new SlurmCommands(new Scripted().answer(1, "Slurmctld(primary) at vm is DOWN\n", ""),
        p -> true);
    assertTrue(down.unavailable().orElseThrow().contains("is DOWN"), down.unavailable().orElseThrow());
    SlurmCommands up = new SlurmCommands(new Scripted().answer(0, "Slurmctld(primary) at vm is UP\n", ""), p -> true);
    assertTrue(up.unavailable().isEmpty());
  }

  @Test
  void cancelsAJobOrATask() throws IOException {
    Scripted runner = new Scripted().answer(0, "", "").answer(0, "", "");
    client(runner).cancel("12", 2);
    client(runner).cancel("13", null);
    assertEquals(List.of(List.of("scancel", "12_2"), List.of("scancel", "13")), runner.commands);
  }
}
