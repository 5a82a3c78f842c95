package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectFailure;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 7. A baseline run killed with SIGKILL in the middle of training is recorded as crashed and keeps
 * its metrics; {@code -Dresearch.resume=ID} continues it from its last checkpoint into the same
 * record, and every epoch is logged exactly once.
 */
@Tag("e2e")
class KillResumeE2ETest {
  /**
   * Sized so that the kill lands mid-run: on 2 idle cores an epoch of 6000 samples (75 batches)
   * takes ~30 ms, on 2 busy ones up to ~1.5 s. The kill comes right after the second checkpoint
   * (polled every 20 ms), so 30 epochs leave a window of ~0.8 s even on an idle machine, and keep
   * the resumed part short on a busy one. (The 60 epochs work too; they double the time.)
   */
  static final int EPOCHS = 30;
  static final int SAMPLES = 6000;
  static final Duration CATCH_TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  static Path tmp;

  static ResearchProject project;

  @BeforeAll
  static void generate() {
    project = ResearchProject.generateCommitted(tmp, "End-to-end: kill and resume");
    // The cycle asks for a finished smoke run of the same code before any other experiment.
    expectSuccess(project.mvn("research:run"));
  }

  @Test
  @DisplayName("7. SIGKILL mid-run: crashed, metrics kept; resume finishes every epoch exactly once")
  void killAndResume() throws Exception {
    assertEquals("", project.git("status", "--porcelain", "--untracked-files=all", "--", ".", ":!runs", ":!.research"),
        "the tree must be clean for a baseline run");
    Set<String> before = project.runIds();
    long t0 = System.nanoTime();
    Cmd.Running mvn = project.mvnInBackground("research:run", "-Dresearch.experiment=baseline",
        "-Dresearch.set=training.epochs=" + EPOCHS + ",data.samples=" + SAMPLES);

    String id = null;
    long pid = -1;
    long pidSeen = -1;
    int checkpoints = 0;
    long deadline = System.nanoTime() + CATCH_TIMEOUT.toNanos();
    while (true) {
      if (!mvn.isAlive()) {
        Cmd.Result r = mvn.await(Duration.ofSeconds(10));
        fail("mvn ended before the kill (" + (id == null ? "no run folder yet" : checkpoints + " checkpoints seen")
            + "): make the run longer (EPOCHS, SAMPLES)\n" + r.describe());
      }
      if (System.nanoTime() > deadline) {
        mvn.killTree();
        fail("no run with a pid and two checkpoints after " + CATCH_TIMEOUT.toSeconds() + " s (run " + id
            + ", pid " + pid + ", " + checkpoints + " checkpoints)\n" + mvn.outputSoFar());
      }
      if (id == null) {
        List<String> added = project.newRuns(before);
        if (added.size() == 1) {
          id = added.get(0);
        }
      }
      if (id != null) {
        if (pid < 0) {
          pid = readPid(project.run(id).resolve("run.json"));
          if (pid > 0) {
            pidSeen = System.nanoTime();
          }
        }
        checkpoints = completeCheckpoints(project.run(id));
        if (pid > 0 && checkpoints >= 2) {
          break;
        }
      }
      Thread.sleep(20);
    }
    Path dir = project.run(id);
    long linesBefore = lineCount(dir.resolve("metrics.jsonl"));
    long caught = System.nanoTime();

    Optional<ProcessHandle> training = ProcessHandle.of(pid);
    if (training.isEmpty()) {
      Cmd.Result r = mvn.await(Duration.ofSeconds(30));
      fail("the training process " + pid + " ended before the kill: make the run longer (EPOCHS, SAMPLES)\n"
          + r.describe());
    }
    String commandLine = training.get().info().commandLine().orElse("");
    assertTrue(commandLine.contains("-Dresearch.run.dir=" + dir.toAbsolutePath()),
        "pid " + pid + " of run.json is not this run's training JVM: " + commandLine);
    assertTrue(training.get().destroyForcibly(), "SIGKILL to " + pid);
    Cmd.Result killed = mvn.await(Duration.ofSeconds(60));
    int epochsAtKill = latestEpochsDone(dir);
    System.out.printf("[e2e] kill/resume: pid after %s, caught at %s with %d checkpoints (latest after %d of %d "
        + "epochs), %d metric lines; mvn ended %s after start%n",
        Cmd.seconds(Duration.ofNanos(pidSeen - t0)), Cmd.seconds(Duration.ofNanos(caught - t0)), checkpoints,
        epochsAtKill, EPOCHS, linesBefore, Cmd.seconds(killed.took()));

    expectFailure(killed);
    JsonNode crashed = project.record(id);
    assertAll("runs/" + id + "/run.json after the kill\n" + crashed.toPrettyString() + "\n" + killed.describe(),
        () -> assertEquals("crashed", crashed.path("status").asText()),
        () -> assertTrue(crashed.path("reason").asText().contains("signal 9"), "reason: " + crashed.path("reason")));
    assertTrue(epochsAtKill < EPOCHS, "the kill came after the last epoch (" + epochsAtKill + " of " + EPOCHS
        + "): make the run longer");
    long linesAfter = lineCount(dir.resolve("metrics.jsonl"));
    assertTrue(linesAfter >= linesBefore, "metrics.jsonl lost lines in the kill: " + linesBefore + " before, "
        + linesAfter + " after");

    Cmd.Result resumed = project.mvn("research:run", "-Dresearch.resume=" + id);
    expectSuccess(resumed);
    assertEquals(Set.of(id), Set.copyOf(project.newRuns(before)), "resuming must not make a new run folder\n"
        + resumed.describe());
    JsonNode rec = project.record(id);
    assertAll("runs/" + id + "/run.json after the resume\n" + rec.toPrettyString() + "\n" + resumed.describe(),
        () -> assertEquals("finished", rec.path("status").asText()),
        () -> assertEquals(1, rec.path("resumes").size(), "resumes"),
        () -> assertTrue(rec.path("resumes").path(0).path("checkpoint").isTextual(), "resumes[0].checkpoint"),
        () -> assertEquals("crashed", rec.path("resumes").path(0).path("fromStatus").asText()));

    List<JsonNode> metrics = project.metrics(id);
    Map<Integer, Long> trainLossPerEpoch = metrics.stream()
        .filter(m -> "train_loss".equals(m.path("name").asText()))
        .collect(Collectors.groupingBy(m -> m.path("epoch").asInt(), TreeMap::new, Collectors.counting()));
    Map<Integer, Long> expected = new TreeMap<>();
    for (int e = 0; e < EPOCHS; e++) {
      expected.put(e, 1L);
    }
    assertEquals(expected, trainLossPerEpoch, "train_loss lines per epoch in runs/" + id + "/metrics.jsonl");
    List<Long> steps = metrics.stream().filter(m -> "loss".equals(m.path("name").asText()))
        .map(m -> m.path("step").asLong()).toList();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) != i + 1) {
        fail("per-step loss lines should count 1, 2, 3, ... without gaps or repeats; at line " + (i + 1)
            + " of the loss lines the step is " + steps.get(i) + " (steps around it: "
            + steps.subList(Math.max(0, i - 3), Math.min(steps.size(), i + 4)) + ")");
      }
    }
    assertTrue(Files.isRegularFile(dir.resolve("metrics.attempt-1.jsonl")), "metrics.attempt-1.jsonl");
    assertTrue(lineCount(dir.resolve("metrics.attempt-1.jsonl")) >= linesBefore,
        "metrics.attempt-1.jsonl keeps the lines of the killed attempt");
    System.out.printf("[e2e] kill/resume: resumed from %s, finished in %s%n",
        rec.path("resumes").path(0).path("checkpoint").asText(), Cmd.seconds(resumed.took()));
  }

  private static long readPid(Path runJson) {
    try {
      JsonNode rec = ResearchProject.JSON.readTree(runJson.toFile());
      return rec.path("pid").asLong(-1);
    } catch (IOException e) {
      return -1; // not there yet, or being replaced
    }
  }

  private static int completeCheckpoints(Path runDir) throws IOException {
    Path root = runDir.resolve("artifacts/checkpoints");
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return (int) dirs.filter(d -> d.getFileName().toString().startsWith("epoch-"))
          .filter(d -> Files.isRegularFile(d.resolve("state.json"))).count();
    } catch (NoSuchFileException e) {
      return 0; // a checkpoint was pruned while listing
    }
  }

  private static int latestEpochsDone(Path runDir) throws IOException {
    Path root = runDir.resolve("artifacts/checkpoints");
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("state.json")))
          .mapToInt(d -> {
            try {
              return ResearchProject.JSON.readTree(d.resolve("state.json").toFile()).path("epochsDone").asInt();
            } catch (IOException e) {
              return -1;
            }
          }).max().orElse(0);
    }
  }

  private static long lineCount(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).count();
  }
}
