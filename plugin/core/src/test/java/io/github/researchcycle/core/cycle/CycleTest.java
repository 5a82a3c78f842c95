package io.github.researchcycle.core.cycle;

import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static io.github.researchcycle.core.cycle.Fixtures.COMPLETE;
import static io.github.researchcycle.core.cycle.Fixtures.commitAt;
import static io.github.researchcycle.core.cycle.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.core.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage derivation on a real git repository, with run records from the store or in a list. */
class CycleTest {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @TempDir Path root;
  Git git;
  RevCommit registered;

  @BeforeEach
  void repository() throws Exception {
    git = init(root);
    write(root, "experiments/smoke.yaml", "main: Train\n");
    write(root, "src/Train.java", "class Train {}\n");
  }

  @AfterEach
  void close() {
    git.close();
  }

  /** research.yaml as given, committed at T0. */
  void register(String yaml) throws Exception {
    write(root, "research.yaml", yaml);
    registered = commitAt(git, "Pre-register the claim", T0);
  }

  Cycle.Status status(List<RunRecord> runs, Instant now) {
    Descriptor d = DescriptorLoader.load(root);
    return Cycle.status(root, d, runs, now);
  }

  Cycle.Status status(List<RunRecord> runs) {
    return status(runs, T0.plus(Duration.ofDays(1)));
  }

  RunRecord smoke(Instant started) {
    return run("smoke").commit(registered.name()).started(started).metric("accuracy", 0.5).build();
  }

  /** Finished clean runs with the given seeds, an hour apart from {@code from}. */
  List<RunRecord> runs(String experiment, Instant from, double value, long... seeds) {
    List<RunRecord> out = new ArrayList<>();
    for (int i = 0; i < seeds.length; i++) {
      out.add(run(experiment).seed(seeds[i]).commit(registered.name()).started(from.plus(Duration.ofHours(i)))
          .took(Duration.ofMinutes(30)).metric("accuracy", value + 0.001 * i).build());
    }
    return out;
  }

  @Test
  void proposedWhileFieldsAreMissing() throws Exception {
    register("title: Longer training\nquestion: 'TODO: the question'\nmetric:\n  name: accuracy\n");

    Cycle.Status s = status(List.of());
    assertEquals(Stage.PROPOSED, s.stage());
    assertEquals(List.of("question", "hypothesis", "paper.citation", "metric.goal", "method", "claim.type"),
        s.missingFields());
    assertTrue(s.descriptorCommitted(), "committed, but incomplete");
    assertNull(s.evaluation(), "no claim to judge yet");
    assertTrue(s.gate().detail().contains("research.yaml lacks question, hypothesis"), s.gate().detail());
    assertTrue(s.gate().command().startsWith("fill in question, hypothesis, paper.citation"), s.gate().command());
    assertTrue(s.gate().command().contains("git commit"), s.gate().command());
  }

  @Test
  void improveClaimNeedsABaselineAndAMargin() throws Exception {
    register(COMPLETE.replace("baseline: baseline\n", "").replace("  margin: 0.01\n", ""));
    Cycle.Status s = status(List.of());
    assertEquals(Stage.PROPOSED, s.stage());
    assertEquals(List.of("baseline", "claim.margin"), s.missingFields());
  }

  @Test
  void proposedWhileCompleteButNeverCommitted() throws Exception {
    write(root, "research.yaml", COMPLETE);
    Cycle.Status s = status(List.of());
    assertEquals(Stage.PROPOSED, s.stage());
    assertEquals(List.of(), s.missingFields());
    assertFalse(s.descriptorCommitted());
    assertTrue(s.gate().detail().contains("uncommitted"), s.gate().detail());
    assertTrue(s.gate().command().contains("git add research.yaml && git commit"), s.gate().command());
    assertNotNull(s.evaluation(), "a complete claim is judged even before it is committed");
  }

  @Test
  void proposedWhileCompleteButChangedSinceTheCommit() throws Exception {
    register(COMPLETE);
    write(root, "research.yaml", COMPLETE.replace("margin: 0.01", "margin: 0.02"));
    Cycle.Status s = status(List.of());
    assertEquals(Stage.PROPOSED, s.stage());
    assertFalse(s.descriptorCommitted());
    assertTrue(s.gate().command().contains("git commit"), s.gate().command());
  }

  @Test
  void otherUncommittedFilesDoNotHoldThePreRegistrationBack() throws Exception {
    register(COMPLETE);
    write(root, "src/Train.java", "class Train { int changed; }\n");
    write(root, "notes.txt", "scratch\n");
    Cycle.Status s = status(List.of());
    assertTrue(s.descriptorCommitted());
    assertEquals(Stage.EXPLORING, s.stage());
  }

  @Test
  void exploringOnceCommittedUntilASmokeRunPasses() throws Exception {
    register(COMPLETE);
    Cycle.Status s = status(List.of());
    assertEquals(Stage.EXPLORING, s.stage());
    assertTrue(s.descriptorCommitted());
    assertEquals("mvn research:run", s.gate().command());

    // A failed smoke run, a dirty one, or another experiment's run do not pass the gate.
    List<RunRecord> runs = List.of(
        run("smoke").status(RunStatus.FAILED).commit(registered.name()).build(),
        run("smoke").dirty().commit(registered.name()).build(),
        run("smoke").status(RunStatus.RUNNING).commit(registered.name()).build(),
        run("baseline").commit(registered.name()).metric("accuracy", 0.8).build());
    assertEquals(Stage.EXPLORING, status(runs).stage());
  }

  @Test
  void runningAfterACleanFinishedSmokeRunNamesTheRunsLacking() throws Exception {
    register(COMPLETE);
    List<RunRecord> runs = new ArrayList<>(List.of(smoke(T0.plus(Duration.ofHours(1)))));
    Cycle.Status s = status(runs);
    assertEquals(Stage.RUNNING, s.stage());
    assertEquals("baseline has 0 of 3; longer has 0 of 3 finished clean runs", s.gate().detail());
    assertEquals("mvn research:run -Dresearch.experiment=baseline -Dresearch.seed=1 -Dresearch.seeds=3"
        + " && mvn research:run -Dresearch.experiment=longer -Dresearch.seed=1 -Dresearch.seeds=3", s.gate().command());

    // Two baseline seeds done, one failed and one dirty: the next command continues after the highest seed used.
    runs.addAll(runs("baseline", T0.plus(Duration.ofHours(2)), 0.80, 1, 2));
    runs.add(run("baseline").seed(3).status(RunStatus.FAILED).commit(registered.name()).build());
    runs.add(run("baseline").seed(4).dirty().commit(registered.name()).metric("accuracy", 0.9).build());
    runs.addAll(runs("longer", T0.plus(Duration.ofHours(5)), 0.90, 1, 2, 3));
    s = status(runs);
    assertEquals(Stage.RUNNING, s.stage());
    assertEquals("baseline has 2 of 3 finished clean runs", s.gate().detail());
    assertEquals("mvn research:run -Dresearch.experiment=baseline -Dresearch.seed=3 -Dresearch.seeds=1",
        s.gate().command());
    assertEquals(Verdict.INCONCLUSIVE, s.evaluation().verdict());
  }

  @Test
  void concludedOnceBothExperimentsHaveTheirSeeds() throws Exception {
    register(COMPLETE);
    RunStore store = new RunStore(root.resolve("runs"), Clock.systemUTC(),
        new RunIds(Clock.systemUTC(), new SecureRandom()), ProcessProbe.system());
    List<RunRecord> runs = new ArrayList<>();
    runs.add(smoke(T0.plus(Duration.ofHours(1))));
    runs.addAll(runs("baseline", T0.plus(Duration.ofHours(2)), 0.80, 1, 2, 3));
    runs.addAll(runs("longer", T0.plus(Duration.ofHours(5)), 0.90, 1, 2, 3));
    for (RunRecord r : runs) {
      Files.createDirectories(store.dir(r.id()));
      store.write(r);
    }

    Cycle.Status s = status(store.list());
    assertEquals(Stage.CONCLUDED, s.stage());
    assertEquals(Verdict.POSITIVE, s.evaluation().verdict(), s.evaluation().reason());
    assertEquals(3, s.evaluation().method().used().size());
    assertEquals("mvn research:verify", s.gate().command());
    assertNotNull(s.preRegistration());
    assertFalse(s.preRegistration().changed(), s.preRegistration().changes()::toString);
    assertEquals(registered.name(), s.preRegistration().commit());
    assertTrue(StatusReport.lines(s).contains("Stage: CONCLUDED"), StatusReport.lines(s)::toString);
  }

  @Test
  void runCountsPerExperiment() throws Exception {
    register(COMPLETE);
    List<RunRecord> runs = List.of(
        run("smoke").took(Duration.ofSeconds(30)).build(),
        run("smoke").status(RunStatus.FAILED).took(Duration.ofSeconds(10)).build(),
        run("baseline").took(Duration.ofMinutes(10)).metric("accuracy", 0.8).build(),
        run("baseline").dirty().took(Duration.ofMinutes(10)).metric("accuracy", 0.8).build(),
        run("baseline").status(RunStatus.CRASHED).took(Duration.ofMinutes(5)).build(),
        run("baseline").status(RunStatus.INTERRUPTED).dirty().took(Duration.ofMinutes(1)).build(),
        run("baseline").status(RunStatus.RUNNING).build(),
        run("longer").status(RunStatus.FAILED).took(Duration.ofMinutes(2)).build());

    Map<String, RunCounts> counts = status(runs).counts();
    assertEquals(List.of("baseline", "longer", "smoke"), List.copyOf(counts.keySet()));
    // tried, finished, failed, crashed, interrupted, running, dirty, compute seconds
    assertEquals(new RunCounts(5, 2, 0, 1, 1, 1, 2, 600 + 600 + 300 + 60), counts.get("baseline"));
    assertEquals(new RunCounts(1, 0, 1, 0, 0, 0, 0, 120), counts.get("longer"));
    assertEquals(new RunCounts(2, 1, 1, 0, 0, 0, 0, 40), counts.get("smoke"));
    assertEquals(counts, RunCounts.of(runs));
  }

  @Test
  void timeSpentPerStage() throws Exception {
    register(COMPLETE.replace("seeds: 3\n", "seeds: 3\nestimate:\n  hours: 20\n"));
    List<RunRecord> runs = new ArrayList<>();
    // research.yaml committed at T0; a first smoke run at T0 + 1 h fails, the next passes at T0 + 2 h 01 (it ran
    // a minute), which ends EXPLORING.
    runs.add(run("smoke").status(RunStatus.FAILED).commit(registered.name()).started(T0.plus(Duration.ofHours(1)))
        .build());
    runs.add(smoke(T0.plus(Duration.ofHours(2))));
    // RUNNING: baseline from T0 + 3 h, the method from T0 + 6 h; the last needed run ends at T0 + 8 h 30.
    runs.addAll(runs("baseline", T0.plus(Duration.ofHours(3)), 0.80, 1, 2, 3));
    runs.addAll(runs("longer", T0.plus(Duration.ofHours(6)), 0.90, 1, 2, 3));
    Instant now = T0.plus(Duration.ofHours(10));

    Cycle.Status s = status(runs, now);
    assertEquals(Stage.CONCLUDED, s.stage());
    Cycle.TimeSpent t = s.time();
    assertEquals(T0, t.started());
    assertEquals(Duration.ofHours(10), t.elapsed());
    assertTrue(t.elapsed().compareTo(Duration.ZERO) > 0);
    assertEquals(20.0, t.estimateHours());
    assertEquals(Duration.ofMinutes(1 + 1 + 6 * 30), t.compute());
    assertEquals(List.of(Stage.PROPOSED, Stage.EXPLORING, Stage.RUNNING, Stage.CONCLUDED),
        List.copyOf(t.perStage().keySet()));
    // PROPOSED and EXPLORING together last until the smoke gate passed; where exactly PROPOSED ends is an
    // estimate (the first smoke run), so only their sum is pinned here.
    assertEquals(Duration.ofMinutes(121), t.perStage().get(Stage.PROPOSED).plus(t.perStage().get(Stage.EXPLORING)));
    assertEquals(Duration.ofMinutes(8 * 60 + 30 - 121), t.perStage().get(Stage.RUNNING));
    assertEquals(Duration.ofMinutes(90), t.perStage().get(Stage.CONCLUDED));
    Duration sum = t.perStage().values().stream().reduce(Duration.ZERO, Duration::plus);
    assertEquals(t.elapsed(), sum, "the stages add up to the time since the start");
    assertTrue(StatusReport.lines(s).stream().anyMatch(l -> l.startsWith("Time: 10 h 0 min since")),
        StatusReport.lines(s)::toString);
  }

  @Test
  void timeSpentWhileExploring() throws Exception {
    register(COMPLETE);
    Instant now = T0.plus(Duration.ofMinutes(90));
    Cycle.TimeSpent t = status(List.of(), now).time();
    assertEquals(T0, t.started());
    assertEquals(Duration.ofMinutes(90), t.elapsed());
    assertFalse(t.perStage().isEmpty());
    assertFalse(t.perStage().containsKey(Stage.RUNNING));
    assertEquals(Duration.ofMinutes(90), t.perStage().values().stream().reduce(Duration.ZERO, Duration::plus));
    assertNull(t.estimateHours());
    assertEquals(Duration.ZERO, t.compute());
  }

  @Test
  void researchFolderInsideALargerRepository() throws Exception {
    Path study = root.resolve("study");
    write(root, "README.md", "a larger repository\n");
    write(study, "research.yaml", COMPLETE);
    registered = commitAt(git, "Pre-register the study", T0);
    Descriptor d = DescriptorLoader.load(study);

    Cycle.Status s = Cycle.status(study, d, List.of(), T0.plus(Duration.ofHours(1)));
    assertEquals(Stage.EXPLORING, s.stage());
    assertTrue(s.descriptorCommitted());
    assertEquals(T0, s.time().started());

    // A research.yaml at the top of the larger repository is not the study's.
    write(root, "research.yaml", "title: other\n");
    assertTrue(Cycle.status(study, d, List.of(), T0).descriptorCommitted());
    write(study, "research.yaml", COMPLETE.replace("seeds: 3", "seeds: 4"));
    Cycle.Status changed = Cycle.status(study, DescriptorLoader.load(study), List.of(), T0);
    assertEquals(Stage.PROPOSED, changed.stage());
    assertFalse(changed.descriptorCommitted());
  }
}
