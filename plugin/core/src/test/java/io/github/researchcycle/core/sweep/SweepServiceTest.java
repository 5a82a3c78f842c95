package io.github.researchcycle.core.sweep;

import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.cycle.ClaimEvaluator;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.run.RunServiceFixture;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** research:sweep without Maven: a real git repository and forked (fake) training JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SweepServiceTest {
  @TempDir Path root;
  Git git;
  final RunService runs = new RunService(Clock.systemUTC(), new RunIds(Clock.systemUTC(), new SecureRandom()),
      ProcessProbe.system(), "testhost");
  final SweepService sweeps = new SweepService(runs);
  final RunServiceFixture.CapturingReporter reporter = new RunServiceFixture.CapturingReporter();

  @BeforeEach
  void repository() throws Exception {
    git = init(root);
    write(root, "research.yaml", RunServiceFixture.RESEARCH_YAML);
    write(root, "experiments/smoke.yaml", RunServiceFixture.EXPERIMENT);
    commitAll(git, "start");
  }

  @AfterEach
  void close() {
    git.close();
  }

  private RunRequest request(int seeds, Integer parallel) {
    return new RunRequest(root, "smoke", null, List.of(), null, seeds, false, null, RunServiceFixture.testClasspath(),
        "0.1.0-SNAPSHOT", false, null, false, parallel);
  }

  private List<RunRecord> records() throws Exception {
    return runs.store(root).list();
  }

  @Test
  void aGridTimesSeedsIsOneRecordEachAndRunningItAgainRunsNothing() throws Exception {
    String grid = "training.epochs=1,2;behaviour.sleepMillis=0,1";
    SweepService.Result first = sweeps.sweep(request(2, null), grid, null, reporter);
    assertEquals(8, first.total());
    assertEquals(8, first.launched().size());
    assertEquals(0, first.skipped().size());
    List<RunRecord> all = records();
    assertEquals(8, all.size());
    for (RunRecord r : all) {
      assertEquals(RunStatus.FINISHED, r.status());
      assertEquals(first.name(), r.sweep().name());
      assertEquals(grid, r.sweep().grid());
      assertEquals(String.valueOf(r.config().at("/training/epochs").asInt()), r.sweep().point().get("training.epochs"));
    }
    assertEquals(4, first.rows().size());
    // Best first: accuracy = 1 - 1/(epochs + seed) is higher with two epochs.
    assertEquals("2", first.rows().get(0).point().get("training.epochs"));
    assertEquals(2, first.rows().get(0).summary().n());

    SweepService.Result again = sweeps.sweep(request(2, null), grid, null, reporter);
    assertEquals(0, again.launched().size());
    assertEquals(8, again.skipped().size());
    assertEquals(8, records().size());
    assertEquals(first.name(), again.name());
    List<String> table = SweepService.table(again);
    assertEquals(5, table.size());
    assertTrue(table.get(0).startsWith("training.epochs  behaviour.sleepMillis  runs  accuracy (mean ± sd)"), table.get(0));
  }

  @Test
  void anInterruptedSweepContinuesWithThePointsThatDidNotFinish() throws Exception {
    String grid = "behaviour.exit=0,3";
    SweepService.Result first = sweeps.sweep(request(1, null), grid, "exits", reporter);
    assertEquals(2, first.launched().size());
    assertEquals(1, first.launched().stream().filter(o -> o.record().status() == RunStatus.FAILED).count());
    // A new commit that changes no code keeps the finished point; the failed one is run again.
    write(root, "writeup/journal.md", "notes\n");
    commitAll(git, "notes");
    SweepService.Result second = sweeps.sweep(request(1, null), grid, "exits", reporter);
    assertEquals(1, second.skipped().size());
    assertEquals("0", second.skipped().get(0).sweep().point().get("behaviour.exit"));
    assertEquals(1, second.launched().size());
    assertEquals("3", second.launched().get(0).record().sweep().point().get("behaviour.exit"));
  }

  @Test
  void localPointsRunSeveralAtATime() throws Exception {
    SweepService.Result r = sweeps.sweep(request(1, 2), "behaviour.sleepMillis=300,301,302,303", null, reporter);
    assertEquals(4, r.launched().size());
    assertTrue(r.launched().stream().allMatch(o -> o.record().status() == RunStatus.FINISHED));
    assertTrue(reporter.lines.stream().anyMatch(l -> l.contains("4 runs, 2 at a time")), reporter.lines::toString);
  }

  @Test
  void mistakesInTheGridAreRefusedBeforeAnyRun() throws Exception {
    ResearchException e = assertThrows(ResearchException.class,
        () -> sweeps.sweep(request(1, null), "training.epohcs=1,2", null, reporter));
    assertTrue(e.getMessage().contains("did you mean `training.epochs`"), e.getMessage());
    e = assertThrows(ResearchException.class, () -> sweeps.sweep(request(1, null), "training.epochs", null, reporter));
    assertTrue(e.getMessage().startsWith("-Dresearch.grid: `training.epochs` has no `key=`"), e.getMessage());
    e = assertThrows(ResearchException.class,
        () -> sweeps.sweep(request(1, null), "training.epochs=1;training.epochs=2", null, reporter));
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    e = assertThrows(ResearchException.class, () -> sweeps.sweep(request(1, null), " ", null, reporter));
    assertTrue(e.getMessage().startsWith("-Dresearch.grid is empty"), e.getMessage());
    assertTrue(!Files.exists(root.resolve("runs")) || records().isEmpty());
  }

  @Test
  void sweepRunsNeverBackTheClaimEvenWhenNewest() throws Exception {
    write(root, "experiments/longer.yaml", RunServiceFixture.EXPERIMENT.replace("epochs: 2", "epochs: 4"));
    commitAll(git, "the method");
    runs.run(new RunRequest(root, "smoke", null, List.of(), null, 1, false, null, RunServiceFixture.testClasspath(),
        "0.1.0-SNAPSHOT", false, null, false, null), reporter);
    RunRequest method = new RunRequest(root, "longer", null, List.of(), null, 2, false, null,
        RunServiceFixture.testClasspath(), "0.1.0-SNAPSHOT", false, null, false, null);
    runs.run(method, reporter);
    sweeps.sweep(method, "training.epochs=9", null, reporter);
    var sample = ClaimEvaluator.sample("longer", "accuracy", records());
    assertEquals(2, sample.used().size());
    assertTrue(sample.used().stream().allMatch(r -> r.sweep() == null && r.config().at("/training/epochs").asInt() == 4));
  }

  @Test
  void pointsVaryTheFirstKeySlowest() {
    assertEquals(List.of(Map.of("a", "1", "b", "x"), Map.of("a", "1", "b", "y"), Map.of("a", "2", "b", "x"),
        Map.of("a", "2", "b", "y")), Grid.parse("a=1,2;b=x,y").points());
    assertEquals("a=1,2;b=x,y", Grid.parse(" a = 1 , 2 ;b=x,y;").canonical());
  }
}
