package io.github.researchcycle.core.launch.slurm;

import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.CapturingReporter;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.launch.Launchers;
import io.github.researchcycle.core.run.FakeTrain;
import io.github.researchcycle.core.run.RunOutcome;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.core.sweep.SweepService;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slurm launcher through {@code research:run}'s service, on a {@link FakeSlurm} that runs the
 * rendered batch scripts for real (with the test classpath's {@link FakeTrain} as the training
 * class): one run followed to its end, seeds as one array, not waiting and reconciling later,
 * cancelled, failed, forgotten and refused jobs, a hostile experiment name, dry runs.
 */
class SlurmLauncherTest {
  static final String HOSTILE = "a b'c;$x";
  static final String EXPERIMENT = String.join("\n",
      "main: " + FakeTrain.class.getName(),
      "training:",
      "  epochs: 2",
      "behaviour:",
      "  exit: 0",
      "  sleepMillis: 0",
      "");
  static final String RESEARCH_YAML = String.join("\n",
      "title: Fake training",
      "paper:",
      "  citation: 'A. Author. Training three epochs. Journal of Tests, 2026.'",
      "question: Does a third epoch raise accuracy?",
      "hypothesis: Three epochs beat two by at least 0.01 accuracy.",
      "metric:",
      "  name: accuracy",
      "  goal: maximize",
      "baseline: baseline",
      "method: longer",
      "claim:",
      "  type: improve",
      "  margin: 0.01",
      "seeds: 3",
      "");

  @TempDir Path root;
  Git git;
  final FakeSlurm slurm = new FakeSlurm();
  final Capture reporter = new Capture();
  RunService service;

  static final class Capture extends CapturingReporter {}

  @BeforeEach
  void repository() throws Exception {
    git = init(root);
    write(root, "research.yaml", RESEARCH_YAML);
    write(root, "experiments/smoke.yaml", EXPERIMENT);
    write(root, "experiments/baseline.yaml", EXPERIMENT.replace("epochs: 2", "epochs: 3"));
    write(root, "experiments/longer.yaml", EXPERIMENT.replace("epochs: 2", "epochs: 4"));
    write(root, "experiments/" + HOSTILE + ".yaml", EXPERIMENT);
    write(root, "launch/local.yaml", "target: local\n");
    write(root, "launch/slurm.yaml", "target: slurm\ncpus: 1\nmemory: 1G\ntimeLimit: '00:10:00'\nparallel: 2\n"
        + "env:\n  TRICKY: \"" + "p$HOME 'q'" + "\"\n");
    commitAll(git, "start");
    Clock clock = Clock.systemUTC();
    service = new RunService(clock, new RunIds(clock, new SecureRandom()), ProcessProbe.system(), "testhost")
        .withLaunchers(Launchers.system().with("slurm",
            new SlurmLauncher(slurm, Duration.ofMillis(20), Duration.ofSeconds(30), clock)));
    // The cycle asks for a finished local smoke run of the same code before any other profile.
    RunOutcome smoke = service.run(request("smoke", "local", List.of(), 1, true), reporter).get(0);
    assertEquals(RunStatus.FINISHED, smoke.record().status(), smoke.record().reason());
    reporter.console.reset();
    reporter.lines.clear();
  }

  @AfterEach
  void close() {
    slurm.open();
    git.close();
  }

  static List<Path> testClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(s -> !s.isBlank()).map(Path::of).toList();
  }

  RunRequest request(String experiment, String profile, List<String> overrides, int seeds, boolean wait) {
    return new RunRequest(root, experiment, profile, overrides, null, seeds, false, null, testClasspath(),
        "0.1.0-SNAPSHOT", false, wait, false, null);
  }

  RunStore store() {
    return service.store(root);
  }

  Set<String> runIds() throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("runs"))) {
      return s.map(p -> p.getFileName().toString()).filter(RunIds::isValid).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void oneRunIsSubmittedFollowedAndRecorded() throws Exception {
    RunOutcome o = service.run(request("smoke", "slurm", List.of(), 1, true), reporter).get(0);

    RunRecord r = store().read(o.record().id());
    assertEquals(o.record(), r);
    assertEquals(RunStatus.FINISHED, r.status(), r.reason());
    assertEquals(0, r.exitCode());
    assertEquals("slurm", r.launcher().target());
    assertEquals("100", r.launcher().jobId());
    assertNull(r.launcher().arrayTask());
    assertEquals("COMPLETED", r.launcher().schedulerState());
    assertEquals(SlurmScript.FILE, r.launcher().script());
    assertTrue(r.launcher().command().contains("-Dresearch.run.dir=" + o.dir().toAbsolutePath()), r.launcher().command()
        .toString());
    assertTrue(r.launcher().command().contains("-Dresearch.console=plain"));
    assertNotNull(r.finalMetrics());
    assertTrue(r.finalMetrics().containsKey("accuracy"));
    assertEquals("fake", r.environment().get("engine"));
    assertNotNull(r.ended());
    String log = Files.readString(o.dir().resolve("output.log"));
    assertTrue(log.contains("epoch 2 loss"), log);
    assertEquals("0", Files.readString(o.dir().resolve(SlurmScript.EXIT_CODE)).strip());
    String console = reporter.console.toString(StandardCharsets.UTF_8);
    assertTrue(console.contains("epoch 2 loss"), "the log is streamed: " + console);
    assertTrue(reporter.all().contains("Submitted Slurm job 100"), reporter.all());
    String script = Files.readString(o.dir().resolve(SlurmScript.FILE));
    assertTrue(script.contains("#SBATCH --time=00:10:00\n#SBATCH --mem=1G\n#SBATCH --cpus-per-task=1\n"), script);
  }

  @Test
  void seedsGoOutAsOneArrayWithATaskPerRun() throws Exception {
    List<RunOutcome> outcomes = service.run(request("smoke", "slurm", List.of(), 4, true), reporter);

    assertEquals(4, outcomes.size());
    assertEquals(1, slurm.submitted.size(), "one submission");
    for (int i = 0; i < 4; i++) {
      RunRecord r = store().read(outcomes.get(i).record().id());
      assertEquals(RunStatus.FINISHED, r.status(), r.reason());
      assertEquals("100", r.launcher().jobId());
      assertEquals(i, r.launcher().arrayTask());
      assertEquals(1 + i, r.seed());
      String log = Files.readString(outcomes.get(i).dir().resolve("output.log"));
      assertTrue(log.contains("logged 2 epochs"), log);
      // Each task trained its own seed in its own folder (FakeTrain's loss depends on the seed).
      assertTrue(log.contains("loss " + 1.0 / (2 + 1 + i)), log);
      assertEquals(Files.readString(outcomes.get(0).dir().resolve(SlurmScript.FILE)),
          Files.readString(outcomes.get(i).dir().resolve(SlurmScript.FILE)), "the same script in every folder");
    }
    String script = Files.readString(outcomes.get(0).dir().resolve(SlurmScript.FILE));
    assertTrue(script.contains("#SBATCH --array=0-3%2\n"), script);
    String console = reporter.console.toString(StandardCharsets.UTF_8);
    assertTrue(console.contains("[task 0] epoch 1 loss"), console);
    assertFalse(console.contains("[===="), "progress bars drawn in place are left out: " + console);
    assertFalse(console.lines().anyMatch(l -> !l.startsWith("[task 0] ")), console);
    assertTrue(reporter.all().contains("(task 3, seed 4): finished"), reporter.all());
    assertTrue(reporter.all().contains("an array of 4 tasks, 2 at a time"), reporter.all());
  }

  @Test
  void aHostileExperimentNameStaysText() throws Exception {
    List<RunOutcome> outcomes = service.run(request(HOSTILE, "slurm", List.of(), 2, true), reporter);

    for (RunOutcome o : outcomes) {
      assertEquals(RunStatus.FINISHED, o.record().status(), o.record().reason());
      assertEquals(HOSTILE, o.record().experiment());
    }
    String script = Files.readString(outcomes.get(0).dir().resolve(SlurmScript.FILE));
    assertTrue(script.contains("#SBATCH --job-name=a_b_c__x\n"), script);
    assertTrue(script.contains("export TRICKY='p$HOME '\\''q'\\'''\n"), script);
  }

  @Test
  void notWaitingReturnsQueuedRunsThatStatusCompletesLater() throws Exception {
    slurm.hold();
    List<RunOutcome> outcomes = service.run(request("smoke", "slurm", List.of(), 2, false), reporter);

    for (RunOutcome o : outcomes) {
      RunRecord r = store().read(o.record().id());
      assertEquals(RunStatus.QUEUED, r.status());
      assertEquals("100", r.launcher().jobId());
      assertEquals(SlurmLauncher.SUBMITTED, r.launcher().schedulerState());
    }
    assertTrue(reporter.all().contains("mvn research:status records how the runs end"), reporter.all());
    // Still pending: reconciling records Slurm's state, the runs stay queued.
    service.reconciled(store(), reporter);
    assertEquals("PENDING", store().read(outcomes.get(0).record().id()).launcher().schedulerState());
    assertEquals(RunStatus.QUEUED, store().read(outcomes.get(0).record().id()).status());

    slurm.open();
    slurm.awaitEnd("100");
    List<RunRecord> all = service.reconciled(store(), reporter);
    for (RunOutcome o : outcomes) {
      RunRecord r = store().read(o.record().id());
      assertEquals(RunStatus.FINISHED, r.status(), r.reason());
      assertTrue(all.contains(r));
      assertNotNull(r.finalMetrics());
    }
  }

  @Test
  void aJobCancelledWhileRunningIsRecordedCancelled() throws Exception {
    RunOutcome o = service.run(request("smoke", "slurm", List.of("behaviour.sleepMillis=30000"), 1, false), reporter)
        .get(0);
    slurm.awaitRunning("100", 0);
    service.reconciled(store(), reporter);
    assertEquals(RunStatus.RUNNING, store().read(o.record().id()).status());

    slurm.cancel("100", null);
    service.reconciled(store(), reporter);

    RunRecord r = store().read(o.record().id());
    assertEquals(RunStatus.CANCELLED, r.status());
    assertEquals("CANCELLED", r.launcher().schedulerState());
    assertTrue(r.reason().contains("scancel") && r.reason().contains("-Dresearch.resume=" + r.id()), r.reason());
    assertTrue(r.status().resumable());
  }

  @Test
  void aFailingTrainingProcessIsRecordedFailedWithItsCode() throws Exception {
    List<RunOutcome> outcomes = service.run(request("smoke", "slurm", List.of("behaviour.exit=3"), 2, true),
        reporter);
    for (RunOutcome o : outcomes) {
      assertEquals(RunStatus.FAILED, o.record().status());
      assertEquals(3, o.record().exitCode());
      assertTrue(o.record().reason().contains("exited with code 3"), o.record().reason());
      assertEquals("FAILED", o.record().launcher().schedulerState());
    }
  }

  @Test
  void aJobSlurmForgotIsEndedFromAccountingOrItsExitCode() throws Exception {
    slurm.hold();
    List<RunOutcome> outcomes = service.run(request("smoke", "slurm", List.of(), 2, false), reporter);
    slurm.open();
    slurm.awaitEnd("100");
    slurm.forgotten.add("100");
    // Task 0 is known to the accounting records as timed out; task 1 only left its exit code.
    slurm.accounting.put("100_0", new SlurmClient.State("TIMEOUT", 0, 15, null));

    service.reconciled(store(), reporter);

    RunRecord t0 = store().read(outcomes.get(0).record().id());
    assertEquals(RunStatus.TIMED_OUT, t0.status());
    assertTrue(t0.reason().contains("timeLimit 00:10:00 in launch/slurm.yaml"), t0.reason());
    RunRecord t1 = store().read(outcomes.get(1).record().id());
    assertEquals(RunStatus.FINISHED, t1.status(), t1.reason());
    assertEquals(0, t1.exitCode());
    assertEquals("UNKNOWN", t1.launcher().schedulerState());
    // The end is when the script wrote the exit code, not when it was reconciled.
    assertEquals(Files.getLastModifiedTime(outcomes.get(1).dir().resolve(SlurmScript.EXIT_CODE)).toInstant(),
        t1.ended());
  }

  @Test
  void aJobNobodyKnowsAndThatLeftNoExitCodeIsCrashed() throws Exception {
    slurm.hold();
    RunOutcome o = service.run(request("smoke", "slurm", List.of(), 1, false), reporter).get(0);
    slurm.forgotten.add("100");

    service.reconciled(store(), reporter);

    RunRecord r = store().read(o.record().id());
    assertEquals(RunStatus.CRASHED, r.status());
    assertTrue(r.reason().contains("Slurm no longer knows job 100"), r.reason());
    slurm.cancel("100", null);
  }

  @Test
  void withoutSlurmNothingIsCreated() throws Exception {
    slurm.unavailable = "sbatch is not on the PATH: Slurm's commands are not installed on this machine";
    Set<String> before = runIds();

    ResearchException e = assertThrows(ResearchException.class,
        () -> service.run(request("smoke", "slurm", List.of(), 1, true), reporter));

    assertTrue(e.getMessage().startsWith("launch/slurm.yaml has `target: slurm`, but sbatch is not on the PATH"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Fix: "), e.getMessage());
    assertEquals(before, runIds(), "no run folder");
  }

  @Test
  void aRefusedSubmissionFailsTheRecordsWithSlurmsWords() throws Exception {
    slurm.refuse = "sbatch: error: invalid partition specified: gpu";

    ResearchException e = assertThrows(ResearchException.class,
        () -> service.run(request("smoke", "slurm", List.of(), 2, true), reporter));

    assertTrue(e.getMessage().contains("invalid partition specified: gpu"), e.getMessage());
    assertTrue(e.getMessage().contains("launch/slurm.yaml"), e.getMessage());
    List<RunRecord> failed = store().list().stream().filter(r -> "slurm".equals(r.profile())).toList();
    assertEquals(2, failed.size());
    for (RunRecord r : failed) {
      assertEquals(RunStatus.FAILED, r.status());
      assertTrue(r.reason().startsWith("not submitted: sbatch refused the job"), r.reason());
      assertTrue(Files.isRegularFile(store().dir(r.id()).resolve(SlurmScript.FILE)));
    }
  }

  @Test
  void aDryRunWritesTheScriptAndSubmitsNothing() throws Exception {
    slurm.unavailable = "no Slurm here";
    RunRequest dry = new RunRequest(root, "smoke", "slurm", List.of(), null, 2, false, null, testClasspath(),
        "0.1.0-SNAPSHOT", false, true, true, null);

    List<RunOutcome> outcomes = service.run(dry, reporter);

    assertTrue(slurm.submitted.isEmpty());
    for (RunOutcome o : outcomes) {
      assertEquals(RunStatus.QUEUED, o.record().status());
      assertNull(o.record().launcher().jobId());
      assertTrue(Files.isRegularFile(o.dir().resolve(SlurmScript.FILE)));
    }
    assertTrue(reporter.all().contains("Dry run: wrote"), reporter.all());
    // Reconciling leaves never-submitted records alone.
    service.reconciled(store(), reporter);
    assertEquals(RunStatus.QUEUED, store().read(outcomes.get(0).record().id()).status());
  }

  @Test
  void aSweepGoesOutAsOneArrayAfterADryRunOfIt() throws Exception {
    SweepService sweeps = new SweepService(service);
    RunRequest dry = new RunRequest(root, "smoke", "slurm", List.of(), null, 1, false, null, testClasspath(),
        "0.1.0-SNAPSHOT", false, true, true, null);
    String grid = "training.epochs=3,4";
    assertEquals(2, sweeps.sweep(dry, grid, null, reporter).launched().size());
    assertTrue(slurm.submitted.isEmpty());

    // The dry run's records were never submitted: they do not stand for their points.
    SweepService.Result real = sweeps.sweep(request("smoke", "slurm", List.of(), 1, true), grid, null, reporter);
    assertEquals(0, real.skipped().size());
    assertEquals(2, real.launched().size());
    assertEquals(1, slurm.submitted.size(), "one array");
    for (RunOutcome o : real.launched()) {
      assertEquals(RunStatus.FINISHED, o.record().status(), o.record().reason());
      assertEquals("100", o.record().launcher().jobId());
    }
    assertEquals(2, sweeps.sweep(request("smoke", "slurm", List.of(), 1, true), grid, null, reporter).skipped().size());
  }
}
