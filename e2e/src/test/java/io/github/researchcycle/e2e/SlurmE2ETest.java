package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectOutput;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * research:run on a real Slurm (CI starts a single node with {@code .ci/slurm start}): a smoke run
 * followed to its end; four seeds of an experiment named {@code a b'c;$x} as one job array; a
 * sweep of four points as one array, then again with nothing re-run; a job submitted without
 * waiting, cancelled with scancel mid-way and recorded as cancelled by research:status. Skipped,
 * with the reason, where no Slurm controller answers.
 */
@Tag("e2e")
@Tag("slurm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmE2ETest {
  static final String HOSTILE = "a b'c;$x";
  /** For a node of two cores: one core per task, two tasks at a time, a small share of memory. */
  static final String PROFILE = String.join("\n",
      "description: 'The test cluster: one node on 127.0.0.1'",
      "target: slurm",
      "devices: cpu",
      "heap: 1g",
      "memory: 1500M",
      "timeLimit: '00:10:00'",
      "cpus: 1",
      "parallel: 2",
      "slurm:",
      "  options: []",
      "");

  @TempDir
  static Path tmp;

  static ResearchProject project;
  /** Why the tests skip, or null. */
  static String skip;

  @BeforeAll
  static void generate() {
    String why = unavailable();
    if (why != null) {
      skip = "no Slurm to submit to: " + why + " (CI starts a single-node Slurm with .ci/slurm start)";
      System.out.println("[e2e] Slurm tests skipped: " + skip);
      return;
    }
    project = ResearchProject.generate(tmp, "Slurm end to end");
    project.write("launch/slurm.yaml", PROFILE);
    project.write("experiments/" + HOSTILE + ".yaml", "# A name with a space, a quote, ; and $.\nextends: smoke\n");
    project.git("init", "-q");
    project.commitAll("Pre-register, with a Slurm profile");
    // A non-local profile needs a finished smoke run of the same code first, as for any user.
    expectSuccess(project.mvn("research:run"));
  }

  @BeforeEach
  void slurmIsHere() {
    assumeTrue(skip == null, () -> skip);
  }

  /** Why no Slurm can take jobs from here, or null when one can. */
  static String unavailable() {
    for (String program : List.of("sbatch", "scontrol", "scancel")) {
      if (!onPath(program)) {
        return program + " is not on the PATH";
      }
    }
    Cmd.Result ping = Cmd.run(Path.of(System.getProperty("java.io.tmpdir")), "scontrol", "ping");
    if (!ping.output().contains(" is UP")) {
      return "`scontrol ping` finds no controller that answers: " + ping.output().strip();
    }
    return null;
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  @Test
  @Order(1)
  @DisplayName("a smoke run on Slurm is submitted, followed and recorded finished")
  void smokeRunOnSlurm() throws IOException {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.profile=slurm");
    expectSuccess(r);
    String id = project.onlyNewRun(before, r);
    JsonNode record = project.record(id);
    assertEquals("finished", record.path("status").asText(), r.describe());
    assertEquals("slurm", record.path("profile").asText());
    JsonNode launcher = record.path("launcher");
    assertEquals("slurm", launcher.path("target").asText());
    assertTrue(launcher.path("jobId").asText().matches("[0-9]+"), launcher.toString());
    assertTrue(launcher.path("arrayTask").isMissingNode(), launcher.toString());
    assertEquals("COMPLETED", launcher.path("schedulerState").asText());
    assertEquals("launch.sbatch", launcher.path("script").asText());
    String log = Files.readString(project.run(id).resolve("output.log"), StandardCharsets.UTF_8);
    assertTrue(log.contains("epoch 3/3"), log);
    assertFalse(project.metrics(id).isEmpty(), "metrics.jsonl written on the node");
    assertTrue(record.path("finalMetrics").has("validate_accuracy"), record.toString());
    assertTrue(record.path("environment").size() > 0, "environment.json read into the record");
    expectOutput(r, "Submitted Slurm job " + launcher.path("jobId").asText());
    expectOutput(r, "epoch 3/3"); // the log, streamed
    String job = Cmd.run(project.dir, "scontrol", "show", "job", "-o", launcher.path("jobId").asText()).output();
    assertTrue(job.contains("JobState=COMPLETED") && job.contains("JobName=smoke"), job);
  }

  @Test
  @Order(2)
  @DisplayName("four seeds of `a b'c;$x` go out as one job array, a finished record per task")
  void fourSeedsAsOneArray() throws IOException {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.profile=slurm", "-Dresearch.experiment=" + HOSTILE,
        "-Dresearch.seeds=4");
    expectSuccess(r);
    List<String> ids = project.newRuns(before);
    assertEquals(4, ids.size(), r.describe());
    Set<String> jobs = new TreeSet<>();
    Set<Integer> tasks = new TreeSet<>();
    Set<Long> seeds = new TreeSet<>();
    for (String id : ids) {
      JsonNode record = project.record(id);
      assertEquals("finished", record.path("status").asText(), id + ": " + record.path("reason").asText());
      assertEquals(HOSTILE, record.path("experiment").asText());
      jobs.add(record.path("launcher").path("jobId").asText());
      tasks.add(record.path("launcher").path("arrayTask").asInt(-1));
      seeds.add(record.path("seed").asLong());
      assertTrue(Files.readString(project.run(id).resolve("output.log")).contains("epoch 3/3"), id);
    }
    assertEquals(1, jobs.size(), "one job: " + jobs);
    assertEquals(Set.of(0, 1, 2, 3), tasks);
    assertEquals(Set.of(1L, 2L, 3L, 4L), seeds);
    String script = Files.readString(project.run(ids.get(0)).resolve("launch.sbatch"), StandardCharsets.UTF_8);
    assertTrue(script.contains("#SBATCH --job-name=a_b_c__x\n"), script);
    assertTrue(script.contains("#SBATCH --array=0-3%2\n"), script);
    expectSuccess(Cmd.run(project.dir, "bash", "-n", project.run(ids.get(0)).resolve("launch.sbatch").toString()));
    expectOutput(r, "an array of 4 tasks, 2 at a time");
    expectOutput(r, "[task 0] epoch 3/3");
    String job = Cmd.run(project.dir, "scontrol", "show", "job", "-o", jobs.iterator().next()).output();
    assertEquals(4, job.lines().filter(l -> l.contains("JobName=a_b_c__x") && l.contains("JobState=COMPLETED"))
        .count(), job);
  }

  @Test
  @Order(3)
  @DisplayName("a sweep of four points goes out as one array; the same sweep again runs nothing")
  void sweepAsOneArrayThenNothingAgain() {
    String grid = "-Dresearch.grid=model.hidden=8,16;optimizer.lr=0.01,0.03";
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:sweep", "-Dresearch.profile=slurm", grid, "-Dresearch.set=training.epochs=2");
    expectSuccess(r);
    List<String> ids = project.newRuns(before);
    assertEquals(4, ids.size(), r.describe());
    Set<String> jobs = new TreeSet<>();
    Set<Integer> tasks = new TreeSet<>();
    Set<String> points = new TreeSet<>();
    for (String id : ids) {
      JsonNode record = project.record(id);
      assertEquals("finished", record.path("status").asText(), id + ": " + record.path("reason").asText());
      jobs.add(record.path("launcher").path("jobId").asText());
      tasks.add(record.path("launcher").path("arrayTask").asInt(-1));
      points.add(record.path("sweep").path("point").toString());
    }
    assertEquals(1, jobs.size(), "one job: " + jobs);
    assertEquals(Set.of(0, 1, 2, 3), tasks);
    assertEquals(4, points.size(), points.toString());
    Set<String> middle = project.runIds();
    Cmd.Result again = project.mvn("research:sweep", "-Dresearch.profile=slurm", grid,
        "-Dresearch.set=training.epochs=2");
    expectSuccess(again);
    expectOutput(again, "4 already there (finished or in flight), 0 to run");
    assertEquals(List.of(), project.newRuns(middle));
  }

  @Test
  @Order(4)
  @DisplayName("a job cancelled mid-way with scancel is recorded cancelled by research:status")
  void cancelledMidWay() throws Exception {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.profile=slurm", "-Dresearch.experiment=baseline",
        "-Dresearch.set=training.epochs=300", "-Dresearch.wait=false");
    expectSuccess(r);
    String id = project.onlyNewRun(before, r);
    JsonNode queued = project.record(id);
    assertEquals("queued", queued.path("status").asText(), r.describe());
    String job = queued.path("launcher").path("jobId").asText();
    assertTrue(job.matches("[0-9]+"), queued.toString());
    expectOutput(r, "mvn research:status records how the runs end");
    try {
      // Mid-way: the job runs and has logged its first epoch.
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      Path metrics = project.run(id).resolve("metrics.jsonl");
      while (!(Files.isRegularFile(metrics) && Files.readString(metrics).contains("validate_loss"))) {
        assertTrue(System.nanoTime() < deadline, () -> "the job did not log an epoch within 180 s: "
            + Cmd.run(project.dir, "scontrol", "show", "job", "-o", job).output());
        Thread.sleep(200);
      }
      String state = Cmd.run(project.dir, "scontrol", "show", "job", "-o", job).output();
      assertTrue(state.contains("JobState=RUNNING"), state);
    } finally {
      expectSuccess(Cmd.run(project.dir, "scancel", job));
    }
    // scancel returns before the job has ended: research:status records it once Slurm says so.
    JsonNode record = null;
    Cmd.Result status = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      status = project.mvn("research:status");
      expectSuccess(status);
      record = project.record(id);
      if (record.path("status").asText().equals("cancelled")) {
        break;
      }
      Thread.sleep(1000);
    }
    assertEquals("cancelled", record.path("status").asText(), status.describe());
    assertEquals("CANCELLED", record.path("launcher").path("schedulerState").asText());
    assertTrue(record.path("reason").asText().contains("scancel"), record.toString());
    expectOutput(status, "cancelled");
    assertFalse(project.metrics(id).isEmpty(), "the metrics logged before the cancellation are kept");
    assertTrue(record.path("exitCode").isMissingNode(), "a cancelled job has no exit code of its own: " + record);
    assertTrue(Files.readString(project.run(id).resolve("output.log")).contains("CANCELLED"),
        "Slurm's note on the cancellation is in the run's log");
  }
}
