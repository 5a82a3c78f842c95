package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectFailure;
import static io.github.researchcycle.e2e.ResearchProject.expectOutput;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goals that launch more than one plain run, on a generated repository through real Maven:
 * research:lr-find (its record, table, plot and suggestion), research:sweep (a grid, then the same
 * sweep again running nothing), a GPU profile on a machine without one (refused, nothing created),
 * and an experiment whose name is made to break scripts.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LaunchGoalsE2ETest {
  @TempDir
  static Path tmp;

  static ResearchProject project;

  @BeforeAll
  static void generate() {
    project = ResearchProject.generateCommitted(tmp, "Launch goals");
  }

  @Test
  @Order(1)
  @DisplayName("1. research:lr-find: a recorded range test with a table, a plot and a suggested rate")
  void lrFind() throws Exception {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:lr-find", "-Dresearch.lrFind.steps=80", "-Dresearch.lrFind.min=1e-5",
        "-Dresearch.lrFind.max=10");
    expectSuccess(r);
    expectOutput(r, "Suggested learning rate: ");
    expectOutput(r, "-Dresearch.set=optimizer.lr=");
    String id = project.onlyNewRun(before, r);
    JsonNode rec = project.record(id);
    assertEquals("lr-find", rec.path("purpose").asText(), rec.toPrettyString());
    assertEquals("finished", rec.path("status").asText());
    Path dir = project.run(id);
    assertTrue(Files.size(dir.resolve("lr-find.png")) > 5_000, "a real plot");
    assertTrue(Files.readString(dir.resolve("lr-find.svg")).contains("<svg"));
    JsonNode summary = ResearchProject.JSON.readTree(dir.resolve("lr-find.json").toFile());
    double suggested = summary.path("suggested").asDouble();
    assertTrue(suggested > 1e-5 && suggested < 10, summary.toPrettyString());
    List<Double> rates = ResearchProject.values(project.metrics(id), "lr");
    assertTrue(rates.size() >= 20 && rates.size() <= 80, "steps " + rates.size());
    for (int i = 1; i < rates.size(); i++) {
      assertTrue(rates.get(i) > rates.get(i - 1), "the rate grows at every step");
    }
    // A range test is counted apart from the smoke runs, and is not one: the baseline's gate still wants one.
    Cmd.Result status = project.mvn("research:status");
    expectSuccess(status);
    expectOutput(status, "smoke (lr-find)");
    Cmd.Result gated = project.mvn("research:run", "-Dresearch.experiment=baseline");
    expectFailure(gated);
    expectOutput(gated, "needs");
  }

  @Test
  @Order(2)
  @DisplayName("2. research:sweep: four points, then the same sweep again runs nothing")
  void sweep() {
    String grid = "-Dresearch.grid=model.hidden=8,16;optimizer.lr=0.01,0.03";
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:sweep", grid, "-Dresearch.set=training.epochs=2", "-Dresearch.parallel=2");
    expectSuccess(r);
    expectOutput(r, "4 point(s) × 1 seed(s) = 4 runs; 0 already there");
    List<String> added = project.newRuns(before);
    assertEquals(4, added.size(), r.describe());
    Set<String> points = new TreeSet<>();
    for (String id : added) {
      JsonNode rec = project.record(id);
      assertEquals("finished", rec.path("status").asText(), rec.toPrettyString());
      JsonNode point = rec.path("sweep").path("point");
      assertEquals(point.path("model.hidden").asInt(), rec.path("config").path("model").path("hidden").asInt());
      assertEquals(2, rec.path("config").path("training").path("epochs").asInt());
      points.add(point.toString());
    }
    assertEquals(4, points.size());
    Set<String> middle = project.runIds();
    Cmd.Result again = project.mvn("research:sweep", grid, "-Dresearch.set=training.epochs=2");
    expectSuccess(again);
    expectOutput(again, "4 already there (finished or in flight), 0 to run");
    assertEquals(List.of(), project.newRuns(middle));
  }

  @Test
  @Order(3)
  @DisplayName("3. A GPU profile on a machine without a GPU is refused before anything is created")
  void gpuRefused() {
    project.write("launch/one-gpu.yaml", "description: one GPU\ntarget: local\ndevices: gpu\nheap: 2g\n");
    project.commitAll("A GPU profile");
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.profile=one-gpu");
    expectFailure(r);
    expectOutput(r, "launch/one-gpu.yaml: `devices: gpu` asks for one GPU");
    assertFalse(r.output().contains("\tat "), "no stack trace\n" + r.describe());
    assertEquals(List.of(), project.newRuns(before));
  }

  @Test
  @Order(4)
  @DisplayName("4. An experiment named a b'c;$x runs, and its launch script stays one literal word")
  void hostileName() throws Exception {
    String name = "a b'c;$x";
    project.write("experiments/" + name + ".yaml", "extends: smoke\ndescription: 'a name made to break scripts'\n");
    project.commitAll("A hostile experiment name");
    expectSuccess(project.mvn("research:run"));
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.experiment=" + name);
    expectSuccess(r);
    String id = project.onlyNewRun(before, r);
    assertEquals(name, project.record(id).path("experiment").asText());
    Path script = project.run(id).resolve("launch.sh");
    Cmd.Result syntax = Cmd.run(project.dir, List.of("sh", "-n", script.toString()));
    expectSuccess(syntax);
    assertFalse(Files.exists(project.dir.resolve("x")), "nothing ran from the name");
  }

  @Test
  @Order(5)
  @DisplayName("5. A profile with a larger batch scales the learning rate linearly, with warmup, and records it")
  void batchScaling() {
    project.write("launch/big-batch.yaml", "description: a larger batch\ntarget: local\ndevices: cpu\n"
        + "batch:\n  global: 256\nlearningRate:\n  scaling: linear\n  warmupEpochs: 1\n");
    project.commitAll("A larger-batch profile");
    expectSuccess(project.mvn("research:run"));
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.profile=big-batch");
    expectSuccess(r);
    expectOutput(r, "Profile scaling: batch 256");
    String id = project.onlyNewRun(before, r);
    JsonNode rec = project.record(id);
    JsonNode scaling = rec.path("environment").path("scaling");
    assertEquals(256, scaling.path("globalBatch").asInt(), rec.toPrettyString());
    int batch = rec.path("config").path("training").path("batch").asInt();
    assertEquals(batch, scaling.path("experimentBatch").asInt());
    assertEquals(256.0 / batch, scaling.path("factor").asDouble(), 1e-12);
    assertEquals(256.0 / batch * rec.path("config").path("optimizer").path("lr").asDouble(), scaling.path("lr").asDouble(),
        1e-9);
    assertEquals("cpu()", rec.path("environment").path("trainingDevices").get(0).path("device").asText());
    assertEquals("big-batch", rec.path("profile").asText());
  }
}
