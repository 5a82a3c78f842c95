package io.github.researchcycle.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.model.Checkpoints;
import io.github.researchcycle.core.launch.LaunchContext;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.MetricsReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A run stopped after some epochs and resumed in a fresh model and trainer ends as an uninterrupted one. */
class ResumeTest {
  /** Every optimizer of DJL 0.33 that trains on the PyTorch engine, with and without momentum. */
  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("adam", (Function<Tracker, Optimizer>) lr -> Optimizer.adam().optLearningRateTracker(lr).build()),
        Arguments.of("adamW", (Function<Tracker, Optimizer>) lr -> Optimizer.adamW().optLearningRateTracker(lr).build()),
        Arguments.of("sgd with momentum",
            (Function<Tracker, Optimizer>) lr -> Optimizer.sgd().setLearningRateTracker(lr).optMomentum(0.9f).build()),
        Arguments.of("sgd", (Function<Tracker, Optimizer>) lr -> Optimizer.sgd().setLearningRateTracker(lr).build()));
  }

  private static ObjectNode config(int epochs) throws Exception {
    return (ObjectNode) Json.mapper().readTree("{\"training\":{\"epochs\":" + epochs + ",\"batch\":16}}");
  }

  /** A rate that falls with the run's step (as Run.learningRate's schedules may): a wrong step shows. */
  private static Tracker decaying(Run run) {
    return update -> (float) (0.02 * Math.pow(0.99, run.step(update) - 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void resumedRunIsBitIdenticalWithAnUninterruptedOne(String name, Function<Tracker, Optimizer> optimizer,
      @TempDir Path whole, @TempDir Path parts) throws Exception {
    float[] uninterrupted;
    try (Run run = Run.open(whole, "test", config(4), 3, false)) {
      uninterrupted = FitTest.train(run, ResumeTest::decaying, optimizer);
    }
    try (Run run = Run.open(parts, "test", config(2), 3, false)) {
      FitTest.train(run, ResumeTest::decaying, optimizer); // stops after two epochs, leaving epoch-0002
    }
    JsonNode state = Json.mapper().readTree(Checkpoints.latest(parts).orElseThrow().resolve(Checkpoints.STATE).toFile());
    assertEquals(50, state.path(OptimizerState.KEY).path("numUpdate").asInt(), "DJL's update count is saved");
    float[] resumed;
    long offset;
    try (Run run = Run.open(parts, "test", config(4), 3, true)) {
      resumed = FitTest.train(run, ResumeTest::decaying, optimizer);
      offset = run.resumedSteps();
    }
    assertEquals(FitTest.lines(whole), FitTest.lines(parts));
    assertArrayEquals(uninterrupted, resumed);
    assertEquals(0, offset, "the restored update counts already include the steps before");
    assertEquals(optimizerState(whole), optimizerState(parts), "one array per parameter and device, as uninterrupted");
    JsonNode environment = Json.mapper().readTree(parts.resolve("environment.json").toFile());
    assertTrue(environment.path(OptimizerState.KEY).path("resumeExact").asBoolean(), environment.toString());
  }

  /** The last checkpoint's optimizer state: its index and counts (the arrays' values are the metrics' cause). */
  private static JsonNode optimizerState(Path dir) throws Exception {
    return Json.mapper().readTree(Checkpoints.latest(dir).orElseThrow().resolve(Checkpoints.STATE).toFile())
        .path(OptimizerState.KEY);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aJvmKilledMidEpochAndResumedInANewJvmEndsBitIdenticalWithAnUninterruptedJvm(@TempDir Path whole,
      @TempDir Path parts) throws Exception {
    assertEquals(0, jvm(whole, false, 0), Files.readString(whole.resolve("output.log")));
    // Killed inside the update of step 60, in the third epoch; the last checkpoint is after epoch 2 (step 50).
    assertEquals(137, jvm(parts, false, 60), Files.readString(parts.resolve("output.log")));
    assertEquals("epoch-0002", Checkpoints.latest(parts).orElseThrow().getFileName().toString());
    // As research:run does before it resumes: metrics.jsonl keeps the lines up to the checkpoint.
    Path metrics = parts.resolve("metrics.jsonl");
    StringBuilder kept = new StringBuilder();
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      MetricLine parsed = MetricsReader.parseLine(line);
      if (parsed != null && parsed.epoch() < 2 && parsed.step() <= 50) {
        kept.append(line).append('\n');
      }
    }
    Files.writeString(metrics, kept, StandardCharsets.UTF_8);
    assertEquals(0, jvm(parts, true, 0), Files.readString(parts.resolve("output.log")));
    assertEquals(FitTest.lines(whole), FitTest.lines(parts));
    assertTrue(Files.readString(parts.resolve("output.log")).contains("optimizer state restored"));
  }

  /** Runs {@link ResumeMains.AdamTraining} on {@code dir} (4 epochs, seed 3) in a JVM of its own; returns its exit code. */
  private static int jvm(Path dir, boolean resume, long haltAt) throws Exception {
    Files.writeString(dir.resolve("run.json"),
        "{\"experiment\":\"test\",\"seed\":3,\"config\":{\"training\":{\"epochs\":4,\"batch\":16}}}\n");
    List<String> command = FaultMains.java(dir, ResumeMains.AdamTraining.class, Long.toString(haltAt));
    command.add(1, "-D" + LaunchContext.RESUME_PROPERTY + "=" + resume);
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("output.log").toFile())).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the training JVM ends");
    return p.exitValue();
  }

  @Test
  void everyOptimizerOfTheListHasTheFieldsThatAreRead() throws Exception {
    // Fails loudly when a DJL upgrade renames or drops a field that OptimizerState reads.
    for (var entry : OptimizerState.STATE_FIELDS.entrySet()) {
      for (String field : entry.getValue()) {
        assertEquals(Map.class, entry.getKey().getDeclaredField(field).getType(), entry.getKey() + "." + field);
      }
    }
    assertEquals(Map.class, Optimizer.class.getDeclaredField("updateCounts").getType());
    assertEquals(int.class, Optimizer.class.getDeclaredField("numUpdate").getType());
    assertEquals(ParameterStore.class, Trainer.class.getDeclaredField("parameterStore").getType());
    assertEquals(ParameterServer.class, ParameterStore.class.getDeclaredField("parameterServer").getType());
    assertEquals(Optimizer.class, LocalParameterServer.class.getDeclaredField("optimizer").getType());
  }

  /** An optimizer of the researcher's own (here handing each update to plain SGD): unknown to the runtime. */
  static final class PlainDescent extends Optimizer {
    private final Optimizer sgd;

    PlainDescent(Tracker rate) {
      super(new Builder());
      this.sgd = Optimizer.sgd().setLearningRateTracker(rate).build();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
      sgd.update(parameterId, weight, grad);
    }

    /** The base builder, with nothing of its own. */
    static final class Builder extends OptimizerBuilder<Builder> {
      @Override
      protected Builder self() {
        return this;
      }
    }
  }

  @Test
  void anUnknownOptimizerIsNamedAndRestartsWithTheStepOffset(@TempDir Path whole, @TempDir Path parts)
      throws Exception {
    Function<Tracker, Optimizer> plain = PlainDescent::new;
    try (Run run = Run.open(whole, "test", config(4), 3, false)) {
      FitTest.train(run, ResumeTest::decaying, plain);
    }
    String out = captured(() -> {
      try (Run run = Run.open(parts, "test", config(2), 3, false)) {
        FitTest.train(run, ResumeTest::decaying, plain);
      }
    });
    assertTrue(out.contains("Optimizer state not checkpointed: " + PlainDescent.class.getName()
        + " is not an optimizer the runtime can checkpoint"), out);
    JsonNode environment = Json.mapper().readTree(parts.resolve("environment.json").toFile());
    assertFalse(environment.path(OptimizerState.KEY).path("resumeExact").asBoolean(true), environment.toString());
    assertTrue(environment.path(OptimizerState.KEY).path("reason").asText().contains("PlainDescent"));
    Path checkpoint = Checkpoints.latest(parts).orElseThrow();
    assertTrue(Json.mapper().readTree(checkpoint.resolve(Checkpoints.STATE).toFile()).path(OptimizerState.KEY)
        .isMissingNode());
    assertFalse(Files.exists(checkpoint.resolve(OptimizerState.FILE)));
    try (Run run = Run.open(parts, "test", config(4), 3, true)) {
      FitTest.train(run, ResumeTest::decaying, plain);
      assertEquals(50, run.resumedSteps(), "a fresh update count is offset by the steps before");
    }
    // It keeps no state but the count, so with the offset the resumed run is still the same.
    assertEquals(FitTest.lines(whole), FitTest.lines(parts));
  }

  @Test
  void aCheckpointWithoutOptimizerStateLoadsAndItsOffsetSurvivesALaterResumption(@TempDir Path dir)
      throws Exception {
    Function<Tracker, Optimizer> adam = lr -> Optimizer.adam().optLearningRateTracker(lr).build();
    try (Run run = Run.open(dir, "test", config(2), 3, false)) {
      FitTest.train(run, ResumeTest::decaying, adam);
    }
    // As an older runtime wrote it: parameters and counters only.
    Path checkpoint = Checkpoints.latest(dir).orElseThrow();
    ObjectNode state = (ObjectNode) Json.mapper().readTree(checkpoint.resolve(Checkpoints.STATE).toFile());
    state.remove(OptimizerState.KEY);
    Json.writeAtomically(checkpoint.resolve(Checkpoints.STATE), state);
    Files.delete(checkpoint.resolve(OptimizerState.FILE));

    AtomicInteger lastStep = new AtomicInteger();
    Function<Run, Tracker> recording = run -> update -> {
      lastStep.accumulateAndGet(run.step(update), Math::max);
      return 0.001f;
    };
    String out = captured(() -> {
      try (Run run = Run.open(dir, "test", config(3), 3, true)) {
        FitTest.train(run, recording, adam);
        assertEquals(50, run.resumedSteps());
      }
    });
    assertTrue(out.contains("holds no optimizer state (an older runtime wrote it): the optimizer starts fresh"), out);
    assertEquals(75, lastStep.get(), "the schedule sees the run's own step");
    JsonNode saved = Json.mapper().readTree(Checkpoints.latest(dir).orElseThrow().resolve(Checkpoints.STATE).toFile())
        .path(OptimizerState.KEY);
    assertEquals(25, saved.path("numUpdate").asInt(), "counted since the fresh start");
    assertEquals(50, saved.path("uncountedSteps").asLong(), "and the steps before it are kept");

    lastStep.set(0);
    out = captured(() -> {
      try (Run run = Run.open(dir, "test", config(4), 3, true)) {
        FitTest.train(run, recording, adam);
        assertEquals(50, run.resumedSteps());
      }
    });
    assertTrue(out.contains("optimizer state restored"), out);
    assertEquals(100, lastStep.get(), "restored counts plus the kept offset: still the run's own step");
  }

  @Test
  void aCheckpointOfAnotherModelIsRefusedByName(@TempDir Path dir) throws Exception {
    Function<Tracker, Optimizer> adam = lr -> Optimizer.adam().optLearningRateTracker(lr).build();
    try (Run run = Run.open(dir, "test", config(1), 3, false)) {
      FitTest.train(run, ResumeTest::decaying, adam);
    }
    Path checkpoint = Checkpoints.latest(dir).orElseThrow();
    ObjectNode state = (ObjectNode) Json.mapper().readTree(checkpoint.resolve(Checkpoints.STATE).toFile());
    ObjectNode first = (ObjectNode) state.path(OptimizerState.KEY).path("states").get(0);
    first.put("parameter", "99Linear_weight");
    Json.writeAtomically(checkpoint.resolve(Checkpoints.STATE), state);
    try (Run run = Run.open(dir, "test", config(2), 3, true)) {
      // One line for the researcher, not a trace: what does not fit, and the fix.
      Exception e = org.junit.jupiter.api.Assertions.assertThrows(io.github.researchcycle.core.ResearchException.class,
          () -> FitTest.train(run, ResumeTest::decaying, adam));
      assertTrue(e.getMessage().contains("optimizer state for parameter 99Linear_weight, which the model does not "
          + "have") && e.getMessage().startsWith("Cannot resume run ") && e.getMessage().contains("Fix:"),
          e.getMessage());
    }
  }

  @Test
  void withoutTheOptimizerStateAdamWouldNotResumeExactly(@TempDir Path whole, @TempDir Path parts) throws Exception {
    // The check that the test above can fail: Adam restarted from zero moments ends elsewhere.
    Function<Tracker, Optimizer> adam = lr -> Optimizer.adam().optLearningRateTracker(lr).build();
    try (Run run = Run.open(whole, "test", config(4), 3, false)) {
      FitTest.train(run, ResumeTest::decaying, adam);
    }
    try (Run run = Run.open(parts, "test", config(2), 3, false)) {
      FitTest.train(run, ResumeTest::decaying, adam);
    }
    Path checkpoint = Checkpoints.latest(parts).orElseThrow();
    ObjectNode state = (ObjectNode) Json.mapper().readTree(checkpoint.resolve(Checkpoints.STATE).toFile());
    state.remove(OptimizerState.KEY);
    Json.writeAtomically(checkpoint.resolve(Checkpoints.STATE), state);
    try (Run run = Run.open(parts, "test", config(4), 3, true)) {
      FitTest.train(run, ResumeTest::decaying, adam);
    }
    List<String> a = FitTest.lines(whole);
    List<String> b = FitTest.lines(parts);
    assertEquals(beforeEpoch(a, 2), beforeEpoch(b, 2), "the same up to the checkpoint");
    assertNotEquals(a, b);
  }

  private static List<String> beforeEpoch(List<String> lines, int epoch) {
    return lines.stream().filter(l -> Integer.parseInt(l.split("/")[1]) < epoch).toList();
  }

  /** What {@code body} prints on standard output (and still prints it). */
  private static String captured(ThrowingRunnable body) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    original.print(out);
    return out;
  }

  /** A block of test code that may throw. */
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
