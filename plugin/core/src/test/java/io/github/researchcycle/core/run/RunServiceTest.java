package io.github.researchcycle.core.run;

import static io.github.researchcycle.core.TestFiles.await;
import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.run.RunServiceFixture.CapturingReporter;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.MetricsReader;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.core.store.RunStore;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** research:run end to end without Maven: a real git repository and a forked training JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunServiceTest {
  static final String EXPERIMENT = RunServiceFixture.EXPERIMENT;
  static final String RESEARCH_YAML = RunServiceFixture.RESEARCH_YAML;

  @TempDir Path root;
  Git git;
  RevCommit head;
  final RunService service =
      new RunService(Clock.systemUTC(), new RunIds(Clock.systemUTC(), new SecureRandom()), ProcessProbe.system(),
          "testhost");
  final CapturingReporter reporter = new CapturingReporter();

  @BeforeEach
  void repository() throws Exception {
    git = init(root);
    write(root, "research.yaml", RESEARCH_YAML);
    write(root, "experiments/smoke.yaml", EXPERIMENT);
    write(root, "experiments/baseline.yaml", EXPERIMENT.replace("epochs: 2", "epochs: 3"));
    write(root, "experiments/longer.yaml", EXPERIMENT.replace("epochs: 2", "epochs: 4"));
    head = commitAll(git, "start");
  }

  @AfterEach
  void close() {
    git.close();
  }

  static List<Path> testClasspath() {
    return RunServiceFixture.testClasspath();
  }

  RunRequest request(String experiment, List<String> overrides, Integer seeds, boolean allowDirty) {
    return new RunRequest(root, experiment, null, overrides, null, seeds, allowDirty, null, testClasspath(),
        "0.1.0-SNAPSHOT", false, null, false, null);
  }

  List<Path> runDirs() {
    Path runs = root.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.filter(p -> RunIds.isValid(p.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RunRecord readRecord(Path dir) throws IOException {
    return service.store(root).read(dir.getFileName().toString());
  }

  @Test
  void finishedRun() throws Exception {
    List<RunOutcome> outcomes = service.run(request("smoke", List.of(), null, false), reporter);

    assertEquals(1, outcomes.size());
    RunOutcome outcome = outcomes.get(0);
    List<Path> dirs = runDirs();
    assertEquals(List.of(outcome.dir()), dirs);
    RunRecord r = readRecord(outcome.dir());
    assertEquals(outcome.record(), r);
    assertEquals(RunStatus.FINISHED, r.status(), r.reason());
    assertNull(r.reason());
    assertEquals(0, r.exitCode());
    assertEquals("smoke", r.experiment());
    assertEquals("local", r.profile());
    assertEquals("testhost", r.host());
    assertNotNull(r.pid());
    assertNotNull(r.ended());
    assertTrue(r.durationSeconds() >= 0);
    assertEquals(1, r.seed());
    assertEquals(head.name(), r.git().commit());
    assertTrue(r.git().clean());
    assertFalse(r.allowDirty());
    assertTrue(r.configHash().matches("sha256:[0-9a-f]{64}"), r.configHash());
    assertEquals(2, r.config().at("/training/epochs").asInt());
    assertEquals(FakeTrain.class.getName(), r.mainClass());
    assertEquals(List.of("experiments/smoke.yaml"), r.configSources());
    assertEquals("fake", r.environment().get("engine"));
    assertNotNull(r.finalMetrics());
    assertEquals(1.0 / 3, r.finalMetrics().get("loss"), 1e-12);
    assertEquals(2.0 / 3, r.finalMetrics().get("accuracy"), 1e-12);
    assertEquals("accuracy", outcome.metric());
    assertEquals("local", r.launcher().target());
    assertTrue(r.launcher().command().contains("-D" + RunService.RUN_DIR_PROPERTY + "=" + outcome.dir().toAbsolutePath()));
    assertEquals(FakeTrain.class.getName(), r.launcher().command().get(r.launcher().command().size() - 1));

    assertEquals(4, MetricsReader.read(outcome.dir().resolve(RunStore.METRICS)).size());
    Path log = outcome.dir().resolve(RunStore.OUTPUT_LOG);
    assertTrue(Files.isRegularFile(log));
    String logged = Files.readString(log);
    assertTrue(logged.contains("epoch 2 loss"), logged);
    assertFalse(logged.contains("[====]"), "progress redraws stay out of output.log: " + logged);
    assertTrue(reporter.console.toString(StandardCharsets.UTF_8).contains("logged 2 epochs"));
    Path launch = outcome.dir().resolve("launch.sh");
    assertTrue(Files.isRegularFile(launch));
    assertTrue(Files.readString(launch).contains(FakeTrain.class.getName()));
    assertTrue(reporter.lines.stream().anyMatch(l -> l.startsWith("INFO Run " + r.id() + ": experiment smoke")),
        reporter.lines::toString);
  }

  @Test
  void severalSeeds() throws Exception {
    RunRequest req = new RunRequest(root, "smoke", null, null, null, 3, false, null, testClasspath(), null, false, null, false, null);
    List<RunOutcome> outcomes = service.run(req, reporter);
    assertEquals(3, outcomes.size());
    List<Path> dirs = runDirs();
    assertEquals(3, dirs.size());
    List<Long> seeds = new ArrayList<>();
    for (Path d : dirs) {
      RunRecord r = readRecord(d);
      assertEquals(RunStatus.FINISHED, r.status());
      seeds.add(r.seed());
    }
    assertEquals(List.of(1L, 2L, 3L), seeds);
    assertEquals(outcomes.get(0).record().configHash(), outcomes.get(2).record().configHash(),
        "the seed is not part of the config");
    for (int i = 0; i < 3; i++) {
      assertEquals(1.0 / (2 + i + 1), outcomes.get(i).record().finalMetrics().get("loss"), 1e-12,
          "run " + i + " trained with its own seed");
    }
  }

  @Test
  void exitCodeOfTheTrainingProcessMakesAFailedRun() throws Exception {
    RunOutcome o = service.run(request("smoke", List.of("behaviour.exit=3"), null, false), reporter).get(0);
    RunRecord r = readRecord(o.dir());
    assertEquals(RunStatus.FAILED, r.status());
    assertEquals(3, r.exitCode());
    assertTrue(r.reason().contains("exited with code 3"), r.reason());
    assertEquals(List.of("behaviour.exit=3"), r.overrides());
    assertNotNull(r.finalMetrics().get("loss"), "metrics of a failed run are kept");
  }

  @Test
  void dirtyTreeIsRefusedForAClaimExperiment() throws Exception {
    write(root, "experiments/baseline.yaml", EXPERIMENT.replace("epochs: 2", "epochs: 4"));
    GateException e = assertThrows(GateException.class,
        () -> service.run(request("baseline", List.of(), null, false), reporter));
    assertTrue(e.getMessage().contains("allowDirty"), e.getMessage());
    assertTrue(e.getMessage().contains("experiments/baseline.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("git add experiments && git commit -m \"Commit the changes\""), e.getMessage());
    assertEquals(List.of(), runDirs(), "no run folder for a refused run");
  }

  @Test
  void dirtyTreeIsRecordedWhenAllowed() throws Exception {
    write(root, "experiments/baseline.yaml", EXPERIMENT.replace("epochs: 2", "epochs: 1"));
    // The smoke gate: a smoke run of the same code, uncommitted changes included.
    RunRecord smoke = service.run(request("smoke", List.of(), null, false), reporter).get(0).record();
    assertFalse(smoke.git().clean());
    RunOutcome o = service.run(request("baseline", List.of(), null, true), reporter).get(0);
    RunRecord r = readRecord(o.dir());
    assertEquals(RunStatus.FINISHED, r.status());
    assertTrue(r.allowDirty());
    assertFalse(r.git().clean());
    assertEquals(List.of("experiments/baseline.yaml"), r.git().changedFiles());
    assertNotNull(r.git().diffHash());
    assertTrue(reporter.lines.stream().anyMatch(l -> l.startsWith("WARN Uncommitted changes")),
        reporter.lines::toString);
  }

  @Test
  void smokeMayRunOnADirtyTree() throws Exception {
    write(root, "notes.txt", "scratch\n");
    RunOutcome o = service.run(request(null, List.of(), null, false), reporter).get(0);
    RunRecord r = readRecord(o.dir());
    assertEquals("smoke", r.experiment());
    assertEquals(RunStatus.FINISHED, r.status());
    assertFalse(r.git().clean());
    assertTrue(r.allowDirty());
  }

  @Test
  void unknownMainClassIsRefusedBeforeAnyRunFolder() {
    ResearchException e = assertThrows(ResearchException.class, () -> service.run(
        request("smoke", List.of("main=io.github.researchcycle.core.run.NoSuchTrain"), null, false), reporter));
    assertTrue(e.getMessage().contains("NoSuchTrain"), e.getMessage());
    assertTrue(e.getMessage().contains("not on the project's classpath"), e.getMessage());
    assertEquals(List.of(), runDirs());
  }

  // --- the gates of the research cycle, through research:run ----------------------------------------------------

  RunRequest request(String experiment, String profile, boolean allowDirty) {
    return new RunRequest(root, experiment, profile, List.of(), null, null, allowDirty, null, testClasspath(),
        "0.1.0-SNAPSHOT", false, null, false, null);
  }

  RunRecord smokeRun() throws IOException {
    RunRecord r = service.run(request("smoke", List.of(), null, false), reporter).get(0).record();
    assertEquals(RunStatus.FINISHED, r.status(), r.reason());
    return r;
  }

  @Test
  void baselineBeforeAnySmokeRunIsRefused() {
    GateException e = assertThrows(GateException.class,
        () -> service.run(request("baseline", List.of(), null, false), reporter));
    assertTrue(e.getMessage().contains("smoke"), e.getMessage());
    assertTrue(e.getMessage().contains("mvn research:run"), e.getMessage());
    assertTrue(e.getMessage().contains(head.name().substring(0, 12)), e.getMessage());
    assertEquals(List.of(), runDirs(), "no run folder for a refused run");
  }

  @Test
  void baselineRunsAfterASmokeRunOfTheSameCode() throws Exception {
    smokeRun();
    RunRecord r = service.run(request("baseline", List.of(), null, false), reporter).get(0).record();
    assertEquals(RunStatus.FINISHED, r.status(), r.reason());
    assertEquals(3, r.config().at("/training/epochs").asInt());
    assertTrue(r.git().clean());
    assertEquals(head.name(), r.git().commit());

    // Committing the run records makes a new commit of the same code: the smoke run still vouches for it.
    RevCommit records = commitAll(git, "Record the runs");
    RunRecord longer = service.run(request("longer", List.of(), null, false), reporter).get(0).record();
    assertEquals(RunStatus.FINISHED, longer.status(), longer.reason());
    assertEquals(records.name(), longer.git().commit());
    assertEquals(3, runDirs().size());
  }

  @Test
  void incompleteResearchYamlIsRefusedWithTheMissingFields() throws Exception {
    write(root, "research.yaml", RESEARCH_YAML
        .replace("question: Does a third epoch raise accuracy?\n", "")
        .replace("hypothesis: Three epochs beat two by at least 0.01 accuracy.", "hypothesis: 'TODO: state it'")
        .replace("metric:\n  name: accuracy\n  goal: maximize\n", ""));
    commitAll(git, "Half a pre-registration");
    smokeRun(); // smoke runs need no pre-registration

    GateException e = assertThrows(GateException.class,
        () -> service.run(request("baseline", List.of(), null, false), reporter));
    assertTrue(e.getMessage().contains("research.yaml lacks question, hypothesis, metric.name, metric.goal."),
        e.getMessage());
    assertTrue(e.getMessage().contains("git add research.yaml && git commit"), e.getMessage());
    assertEquals(1, runDirs().size(), "only the smoke run's folder");
  }

  @Test
  void researchYamlChangedButNotCommittedIsRefused() throws Exception {
    write(root, "research.yaml", RESEARCH_YAML.replace("margin: 0.01", "margin: 0.001"));
    RunRecord smoke = smokeRun();
    assertFalse(smoke.git().clean());
    assertEquals(List.of("research.yaml"), smoke.git().changedFiles());

    // The clean-tree check comes first for a claim experiment...
    GateException dirty = assertThrows(GateException.class,
        () -> service.run(request("baseline", List.of(), null, false), reporter));
    assertTrue(dirty.getMessage().contains("allowDirty"), dirty.getMessage());
    assertTrue(dirty.getMessage().contains("research.yaml"), dirty.getMessage());

    // ...and allowing a dirty run does not let an uncommitted pre-registration through, even with a smoke run
    // of the very same uncommitted changes.
    GateException pre = assertThrows(GateException.class,
        () -> service.run(request("baseline", List.of(), null, true), reporter));
    assertTrue(pre.getMessage().contains("research.yaml has uncommitted changes"), pre.getMessage());
    assertTrue(pre.getMessage().contains("git add research.yaml && git commit"), pre.getMessage());
    assertEquals(List.of(service.store(root).dir(smoke.id())), runDirs(), "only the smoke run's folder");
  }

  @Test
  void aReadmeOnlyCommitKeepsTheSmokeRunValid() throws Exception {
    smokeRun();
    // What research:publish -Dresearch.updateReadme=true asks the user to commit: the README's results table.
    write(root, "README.md", "# Study\n\n## Results\n\n<!-- results -->\n");
    RevCommit readme = commitAll(git, "Update the results table");
    RunRecord r = service.run(request("baseline", List.of(), null, false), reporter).get(0).record();
    assertEquals(RunStatus.FINISHED, r.status(), r.reason());
    assertEquals(readme.name(), r.git().commit());
  }

  @Test
  void aSmokeRunAtAnOlderCommitDoesNotOpenTheGate() throws Exception {
    smokeRun();
    write(root, "experiments/baseline.yaml", EXPERIMENT.replace("epochs: 2", "epochs: 5"));
    RevCommit next = commitAll(git, "Train the baseline longer");

    GateException e = assertThrows(GateException.class,
        () -> service.run(request("baseline", List.of(), null, false), reporter));
    assertTrue(e.getMessage().contains("smoke"), e.getMessage());
    assertTrue(e.getMessage().contains("mvn research:run"), e.getMessage());
    assertTrue(e.getMessage().contains(next.name().substring(0, 12)), e.getMessage());
    assertEquals(1, runDirs().size());

    smokeRun();
    RunRecord r = service.run(request("baseline", List.of(), null, false), reporter).get(0).record();
    assertEquals(RunStatus.FINISHED, r.status(), r.reason());
    assertEquals(next.name(), r.git().commit());
    assertEquals(5, r.config().at("/training/epochs").asInt());
  }

  @Test
  void aCleanSmokeRunDoesNotVouchForUncommittedChanges() throws Exception {
    smokeRun();
    write(root, "experiments/baseline.yaml", EXPERIMENT.replace("epochs: 2", "epochs: 5"));
    GateException e = assertThrows(GateException.class,
        () -> service.run(request("baseline", List.of(), null, true), reporter));
    assertTrue(e.getMessage().contains("with the same uncommitted changes"), e.getMessage());
    assertEquals(1, runDirs().size());
  }

  @Test
  void anotherProfileNeedsTheSmokeRunEvenForSmoke() throws Exception {
    write(root, "launch/local.yaml", "target: local\n");
    write(root, "launch/big.yaml", "target: local\nheap: 1g\n");
    commitAll(git, "A bigger profile");

    GateException e = assertThrows(GateException.class, () -> service.run(request("smoke", "big", false), reporter));
    assertTrue(e.getMessage().contains("profile `big`"), e.getMessage());
    assertTrue(e.getMessage().contains("mvn research:run"), e.getMessage());
    assertEquals(List.of(), runDirs());

    service.run(request("smoke", "local", false), reporter);
    RunRecord big = service.run(request("smoke", "big", false), reporter).get(0).record();
    assertEquals(RunStatus.FINISHED, big.status(), big.reason());
    assertEquals("big", big.profile());
    assertEquals("1g", big.launcher().heap());
  }

  /** A run started on a background thread, with its folder and training process once metrics are logged. */
  record Started(CompletableFuture<List<RunOutcome>> outcomes, Path dir, ProcessHandle process) {}

  Started startLongRun() throws InterruptedException {
    CompletableFuture<List<RunOutcome>> running = CompletableFuture.supplyAsync(() -> {
      try {
        return service.run(request("smoke", List.of("behaviour.sleepMillis=20000"), null, false), reporter);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    Long[] pid = new Long[1];
    assertTrue(await(() -> {
      Optional<Long> p = runDirs().stream().findFirst()
          .flatMap(d -> service.store(root).find(d.getFileName().toString())).map(RunRecord::pid);
      p.ifPresent(x -> pid[0] = x);
      return p.isPresent() || running.isDone();
    }, 20_000) && pid[0] != null, "the run recorded its pid");
    Path dir = runDirs().get(0);
    assertTrue(await(() -> {
      try {
        return MetricsReader.read(dir.resolve(RunStore.METRICS)).size() == 4;
      } catch (IOException e) {
        return false;
      }
    }, 20_000), "the training process logged its metrics");
    return new Started(running, dir, ProcessHandle.of(pid[0]).orElseThrow());
  }

  @Test
  void killedRunIsRecordedAsCrashedWithItsMetrics() throws Exception {
    Started run = startLongRun();
    assertTrue(run.process().destroyForcibly());

    RunOutcome o = run.outcomes().get(30, TimeUnit.SECONDS).get(0);
    RunRecord r = readRecord(run.dir());
    assertEquals(o.record().id(), r.id());
    assertEquals(RunStatus.CRASHED, r.status());
    assertEquals(137, r.exitCode());
    assertTrue(r.reason().contains("signal 9"), r.reason());
    assertEquals(4, MetricsReader.read(run.dir().resolve(RunStore.METRICS)).size(),
        "lines logged before the kill are kept");
    assertEquals(1.0 / 3, r.finalMetrics().get("loss"), 1e-12);
    assertEquals("fake", r.environment().get("engine"));
  }

  @Test
  void terminatedRunIsRecordedAsInterrupted() throws Exception {
    Started run = startLongRun();
    assertTrue(run.process().destroy());

    run.outcomes().get(30, TimeUnit.SECONDS);
    RunRecord r = readRecord(run.dir());
    assertEquals(RunStatus.INTERRUPTED, r.status());
    assertEquals(143, r.exitCode());
    assertTrue(r.reason().contains("SIGTERM"), r.reason());
    assertTrue(r.status().resumable());
  }

  @Test
  void aLocalDryRunWritesTheScriptAndRunsNothing() throws Exception {
    RunRequest dry = new RunRequest(root, "smoke", null, List.of(), null, 2, false, null, testClasspath(),
        "0.1.0-SNAPSHOT", false, null, true, null);
    List<RunOutcome> outcomes = service.run(dry, reporter);
    assertEquals(2, outcomes.size());
    for (RunOutcome o : outcomes) {
      RunRecord r = service.store(root).read(o.record().id());
      assertEquals(RunStatus.QUEUED, r.status());
      assertTrue(r.dryRun(), r.toString());
      assertTrue(Files.readString(o.dir().resolve("launch.sh")).contains(FakeTrain.class.getName()));
      assertFalse(Files.exists(o.dir().resolve("metrics.jsonl")), "nothing ran");
    }
    ResearchException e = assertThrows(ResearchException.class, () -> service.run(new RunRequest(root, "smoke", null,
        List.of(), null, null, false, outcomes.get(0).record().id(), testClasspath(), "0.1.0-SNAPSHOT", false, null,
        true, null), reporter));
    assertTrue(e.getMessage().startsWith("-Dresearch.dryRun=true with -Dresearch.resume"), e.getMessage());
  }
}
