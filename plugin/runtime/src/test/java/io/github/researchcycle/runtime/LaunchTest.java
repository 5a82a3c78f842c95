package io.github.researchcycle.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.MetricsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile's devices, batch and learning-rate rule, and the range test, as the runtime applies them. */
class LaunchTest {
  private static Launch launch(int gpus, Integer perDevice, Integer global, String rule, int warmup) {
    return new Launch(gpus, perDevice, global, rule, warmup, null);
  }

  @Test
  void linearScalingFollowsTheGlobalBatch() {
    // Goyal et al.: batch 256 at lr 0.1 becomes batch 8 × 128 = 1024 at lr 0.4.
    Launch.Scaling s = launch(8, 128, null, "linear", 5).scaling(256, 0.1);
    assertEquals(1024, s.globalBatch());
    assertEquals(128, s.perDeviceBatch());
    assertEquals(4.0, s.factor(), 1e-12);
    assertEquals(0.4, s.lr(), 1e-12);
    Launch.Scaling sqrt = launch(4, null, 1024, "sqrt", 0).scaling(256, 0.1);
    assertEquals(256, sqrt.perDeviceBatch());
    assertEquals(0.2, sqrt.lr(), 1e-12);
    Launch.Scaling none = launch(0, null, null, "none", 0).scaling(64, 0.01);
    assertEquals(64, none.globalBatch());
    assertEquals(0.01, none.lr(), 1e-12);
  }

  @Test
  void warmupClimbsLinearlyFromTheExperimentsRate() {
    Tracker t = launch(4, 64, null, "linear", 2).scaling(64, 0.1).tracker(10);
    assertEquals(0.1, t.getNewValue(0), 1e-6);
    assertEquals(0.25, t.getNewValue(10), 1e-6);
    assertEquals(0.4, t.getNewValue(20), 1e-6);
    assertEquals(0.4, t.getNewValue(500), 1e-6);
  }

  @Test
  void anUnevenGlobalBatchIsRefused() {
    ResearchException e = assertThrows(ResearchException.class,
        () -> launch(3, null, 100, "linear", 0).scaling(32, 0.1));
    assertTrue(e.getMessage().contains("does not split evenly over 3 devices"), e.getMessage());
  }

  @Test
  void gpusAreNeverReplacedByTheCpu() {
    assertArrayEquals(new Device[] {Device.cpu()}, launch(0, null, null, "none", 0).devices(2));
    assertArrayEquals(new Device[] {Device.gpu(0), Device.gpu(1)}, launch(2, null, null, "none", 0).devices(2));
    var e = assertThrows(ResearchException.class, () -> launch(2, null, null, "none", 0).devices(0));
    assertTrue(e.getMessage().contains("never falls back to the CPU"), e.getMessage());
  }

  @Test
  void theRangeTestGrowsTheRateExponentiallyAndLogsEachStep(@TempDir Path dir) throws Exception {
    ObjectNode config = (ObjectNode) Json.mapper().readTree("{\"training\":{\"epochs\":1,\"batch\":16}}");
    Launch.LrFind find = new Launch.LrFind(1e-4, 1e4, 60);
    try (Run run = Run.open(dir, "test", config, 1, false)) {
      run.withLaunch(new Launch(0, null, null, "none", 0, find));
      FitTest.train(run, r -> r.learningRate(0.1, 16, 25));
    }
    List<MetricLine> lines = MetricsReader.read(dir.resolve("metrics.jsonl"));
    List<Double> rates = lines.stream().filter(l -> l.name().equals("lr")).map(MetricLine::value).toList();
    List<Double> losses = lines.stream().filter(l -> l.name().equals("smoothed_loss")).map(MetricLine::value).toList();
    assertEquals(rates.size(), losses.size());
    assertTrue(rates.size() > 10 && rates.size() <= 60, "steps: " + rates.size());
    assertEquals(1e-4, rates.get(0), 1e-12);
    // Exponential: a constant ratio between consecutive rates; one epoch (25 batches) is not enough, so it goes on.
    double ratio = Math.pow(1e4 / 1e-4, 1.0 / 59);
    for (int i = 1; i < rates.size(); i++) {
      assertEquals(ratio, rates.get(i) / rates.get(i - 1), 1e-9);
    }
    assertTrue(lines.stream().anyMatch(l -> l.name().equals("lr") && l.epoch() == 1), "the test crossed an epoch");
    // Rates up to 1e4 with plain SGD diverge: the test stops before its last step, on a loss far above its minimum.
    double min = losses.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double last = losses.get(losses.size() - 1);
    assertTrue(rates.size() < 60, "stopped early: " + rates.size());
    assertTrue(!Double.isFinite(last) || last > Fit.DIVERGED * min, "losses " + losses);
  }

  @Test
  void aRangeTestRefusesAnOptimizerWithItsOwnRate(@TempDir Path dir) throws Exception {
    ObjectNode config = (ObjectNode) Json.mapper().readTree("{\"training\":{\"epochs\":1,\"batch\":16}}");
    try (Run run = Run.open(dir, "test", config, 1, false)) {
      run.withLaunch(new Launch(0, null, null, "none", 0, new Launch.LrFind(1e-4, 1, 20)));
      var e = assertThrows(ResearchException.class,
          () -> FitTest.train(run, r -> Tracker.fixed(0.1f)));
      assertTrue(e.getMessage().contains("run.learningRate"), e.getMessage());
    }
  }

  @Test
  void trainsOnTheGpuTheProfileAsksFor(@TempDir Path dir) throws Exception {
    int gpus = Engine.getInstance().getGpuCount();
    org.junit.jupiter.api.Assumptions.assumeTrue(gpus > 0, "no GPU visible to PyTorch here (no device, or the CPU "
        + "build of PyTorch on the classpath): this test needs one, with -Pgpu");
    ObjectNode config = (ObjectNode) Json.mapper().readTree("{\"training\":{\"epochs\":1,\"batch\":16}}");
    try (Run run = Run.open(dir, "test", config, 1, false)) {
      run.withLaunch(launch(1, null, null, "none", 0));
      FitTest.train(run, r -> Tracker.fixed(0.1f));
    }
    String env = Files.readString(dir.resolve("environment.json"));
    assertTrue(env.contains("gpu(0)"), env);
  }

  @Test
  void theScheduleCountsOptimizerStepsNotDjlsPerDeviceUpdates(@TempDir Path dir) throws Exception {
    ObjectNode config = (ObjectNode) Json.mapper().readTree("{\"training\":{\"epochs\":1,\"batch\":16}}");
    try (Run run = Run.open(dir, "test", config, 1, false)) {
      run.withLaunch(launch(4, 16, null, "linear", 1));
      Tracker t = run.learningRate(0.1, 16, 10);
      // Four device copies of a parameter are updated per step (counts 1-4, 5-8, ...): one rate per step.
      for (int u = 1; u <= 4; u++) {
        assertEquals(t.getNewValue(1), t.getNewValue(u), 0);
      }
      assertEquals(run.launch().scaling(16, 0.1).tracker(10).getNewValue(2), t.getNewValue(5), 1e-7);
      // Resumed at step 10 (the end of the warmup) with a fresh optimizer, DJL counts from 1 again: the rate is
      // the scaled one.
      run.resumedAfter(10);
      assertEquals(0.4, t.getNewValue(1), 1e-6);
    }
  }
}
