package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectFailure;
import static io.github.researchcycle.e2e.ResearchProject.expectOutput;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn research:run} on a freshly generated and committed research repository, as a new user
 * runs it: the smoke run and its record, reproducibility, seeds, the dirty-tree gate, and the
 * errors a user can make. One generated repository serves every test; the order only matters
 * where a test changes the tree (it restores it).
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunE2ETest {
  @TempDir
  static Path tmp;

  static ResearchProject project;

  @BeforeAll
  static void generate() {
    project = ResearchProject.generateCommitted(tmp, "End-to-end: wider hidden layers");
  }

  @Test
  @Order(1)
  @DisplayName("1. mvn research:run: a finished smoke run with provenance, falling loss and its files")
  void smokeRun() {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run");
    expectSuccess(r);
    String id = project.onlyNewRun(before, r);
    JsonNode rec = project.record(id);
    String head = project.head();

    assertAll("runs/" + id + "/run.json\n" + rec.toPrettyString() + "\n" + r.describe(),
        () -> assertEquals("finished", rec.path("status").asText()),
        () -> assertEquals("smoke", rec.path("experiment").asText()),
        () -> assertEquals(head, rec.path("git").path("commit").asText()),
        () -> assertTrue(rec.path("git").path("clean").asBoolean(false), "git.clean"),
        () -> assertTrue(rec.path("configHash").asText().startsWith("sha256:"), "configHash"),
        () -> assertEquals("PyTorch", rec.path("environment").path("engine").asText()),
        () -> assertTrue(rec.path("finalMetrics").has("validate_accuracy"), "finalMetrics.validate_accuracy"),
        () -> assertEquals(1, rec.path("seed").asLong()));

    List<Double> loss = ResearchProject.values(project.metrics(id), "loss");
    assertTrue(loss.size() >= 10, "expected at least 10 per-step loss lines, found " + loss.size());
    double first = loss.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double last = loss.subList(loss.size() - 5, loss.size()).stream().mapToDouble(Double::doubleValue).average()
        .orElseThrow();
    assertTrue(last < first, "the loss should fall: mean of the first 5 steps " + first + ", of the last 5 " + last
        + " (" + loss + ")");

    assertTrue(Files.isRegularFile(project.run(id).resolve("output.log")), "output.log");
    assertTrue(Files.isRegularFile(project.run(id).resolve("launch.sh")), "launch.sh");
  }

  @Test
  @Order(2)
  @DisplayName("2. the same seed twice gives bit-identical metrics on the CPU")
  void sameSeedIsBitIdentical() {
    Set<String> before = project.runIds();
    Cmd.Result a = project.mvn("research:run", "-Dresearch.seed=7");
    expectSuccess(a);
    String first = project.onlyNewRun(before, a);
    before = project.runIds();
    Cmd.Result b = project.mvn("research:run", "-Dresearch.seed=7");
    expectSuccess(b);
    String second = project.onlyNewRun(before, b);

    assertEquals(7, project.record(first).path("seed").asLong());
    assertEquals(7, project.record(second).path("seed").asLong());
    List<String> one = withoutTime(project.metrics(first));
    List<String> two = withoutTime(project.metrics(second));
    assertFalse(one.isEmpty(), "runs/" + first + "/metrics.jsonl is empty");
    assertEquals(one, two, "runs " + first + " and " + second + " (seed 7 both) differ");
    assertEquals(project.record(first).path("configHash"), project.record(second).path("configHash"));
  }

  @Test
  @Order(3)
  @DisplayName("3. -Dresearch.seeds=3: three records, seeds 1, 2, 3")
  void threeSeeds() {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.seeds=3");
    expectSuccess(r);
    List<String> added = project.newRuns(before);
    assertEquals(3, added.size(), "expected three new run folders, found " + added + "\n" + r.describe());
    List<Long> seeds = new ArrayList<>();
    for (String id : added) {
      JsonNode rec = project.record(id);
      assertEquals("finished", rec.path("status").asText(), id + "\n" + rec.toPrettyString());
      seeds.add(rec.path("seed").asLong());
    }
    assertEquals(List.of(1L, 2L, 3L), seeds.stream().sorted().toList());
  }

  @Test
  @Order(4)
  @DisplayName("4. a dirty tree stops a baseline run; -Dresearch.allowDirty=true records it as dirty")
  void dirtyTree() {
    try {
      project.append("experiments/baseline.yaml", "# an uncommitted change\n");
      Set<String> before = project.runIds();
      Cmd.Result refused = project.mvn("research:run", "-Dresearch.experiment=baseline");
      expectFailure(refused);
      expectOutput(refused, "uncommitted");
      expectOutput(refused, "allowDirty");
      assertEquals(List.of(), project.newRuns(before), "a refused run must leave no folder\n" + refused.describe());

      // The cycle's gate wants a smoke run of the very same code (same uncommitted changes)
      // before any other experiment; smoke itself may run on a dirty tree.
      before = project.runIds();
      Cmd.Result smoke = project.mvn("research:run");
      expectSuccess(smoke);
      JsonNode smokeRec = project.record(project.onlyNewRun(before, smoke));
      assertFalse(smokeRec.path("git").path("clean").asBoolean(true), "dirty smoke: git.clean\n" + smokeRec);

      before = project.runIds();
      Cmd.Result allowed = project.mvn("research:run", "-Dresearch.experiment=baseline",
          "-Dresearch.allowDirty=true", "-Dresearch.set=training.epochs=1");
      expectSuccess(allowed);
      String id = project.onlyNewRun(before, allowed);
      JsonNode rec = project.record(id);
      assertAll("runs/" + id + "/run.json\n" + rec.toPrettyString() + "\n" + allowed.describe(),
          () -> assertEquals("finished", rec.path("status").asText()),
          () -> assertEquals("baseline", rec.path("experiment").asText()),
          () -> assertTrue(rec.path("allowDirty").asBoolean(false), "allowDirty"),
          () -> assertFalse(rec.path("git").path("clean").asBoolean(true), "git.clean"),
          () -> assertTrue(rec.path("git").path("diffHash").isTextual(), "git.diffHash"),
          () -> assertTrue(rec.path("git").path("changedFiles").toString().contains("experiments/baseline.yaml"),
              "git.changedFiles"),
          () -> assertEquals(1, rec.path("config").path("training").path("epochs").asInt()));
    } finally {
      project.git("checkout", "--", "experiments/baseline.yaml");
    }
    assertEquals("", project.git("status", "--porcelain", "--", "experiments"));
  }

  @Test
  @Order(5)
  @DisplayName("5. a typo in an override: did you mean, no stack trace, no run folder")
  void typoInOverride() {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.set=optimizer.lrr=0.1");
    expectFailure(r);
    expectOutput(r, "did you mean `optimizer.lr`");
    noStackTrace(r);
    assertEquals(List.of(), project.newRuns(before), "no run folder for a refused run\n" + r.describe());
  }

  @Test
  @Order(6)
  @DisplayName("6a. a missing experiment: the experiments there are listed, no run folder")
  void missingExperiment() {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.experiment=nope");
    expectFailure(r);
    expectOutput(r, "nope");
    expectOutput(r, "baseline");
    expectOutput(r, "smoke");
    expectOutput(r, "wide");
    expectOutput(r, "baseline, smoke, wide");
    noStackTrace(r);
    assertEquals(List.of(), project.newRuns(before), "no run folder for a refused run\n" + r.describe());
  }

  @Test
  @Order(7)
  @DisplayName("6b. malformed YAML: the file and the line, no run folder")
  void malformedYaml() {
    Path broken = project.dir.resolve("experiments/broken.yaml");
    try {
      project.write("experiments/broken.yaml", "a: [1, 2\n");
      Set<String> before = project.runIds();
      Cmd.Result r = project.mvn("research:run", "-Dresearch.experiment=broken");
      expectFailure(r);
      assertTrue(Pattern.compile("experiments/broken\\.yaml,? line \\d+").matcher(r.output()).find(),
          "the message should name experiments/broken.yaml and a line\n" + r.describe());
      noStackTrace(r);
      assertEquals(List.of(), project.newRuns(before), "no run folder for a refused run\n" + r.describe());
    } finally {
      try {
        Files.deleteIfExists(broken);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  @Order(8)
  @DisplayName("10. mvn research:help -Ddetail documents the run goal and its research.* properties")
  void help() {
    Cmd.Result r = project.mvn("research:help", "-Ddetail");
    expectSuccess(r);
    List<String> lines = r.lines().stream().map(l -> l.replaceFirst("^\\[INFO\\] ", "")).toList();
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("research:run")) {
        start = i;
        break;
      }
    }
    assertTrue(start >= 0, "no `research:run` goal in the help\n" + r.describe());
    int end = lines.size();
    for (int i = start + 1; i < lines.size(); i++) {
      if (lines.get(i).matches("research:[a-z-]+") || lines.get(i).startsWith("[INFO] ---")) {
        end = i;
        break;
      }
    }
    String run = String.join("\n", lines.subList(start, end));
    for (String p : List.of("experiment", "profile", "set", "seeds", "allowDirty", "resume")) {
      assertTrue(Pattern.compile("(?m)^\\s+" + p + "( \\(Default: [^)]*\\))?\\s*$").matcher(run).find(),
          "research:run lacks parameter " + p + "\n" + run);
      assertTrue(Pattern.compile("(?ms)^\\s+" + p + "\\b.*?User property: research\\." + p + "\\s*$").matcher(run)
          .find(), "research:run: parameter " + p + " lacks `User property: research." + p + "`\n" + run);
    }
  }

  /** Each metric line as step, epoch, name and the exact bits of its value; the time is left out. */
  static List<String> withoutTime(List<JsonNode> metrics) {
    return metrics.stream().map(m -> m.path("step").asLong() + " " + m.path("epoch").asLong() + " "
        + m.path("name").asText() + " " + Double.doubleToRawLongBits(m.path("value").asDouble()) + " ("
        + m.path("value").asText() + ")").toList();
  }

  /** No Java stack trace: the error is the core's message, not an exception dump. */
  static void noStackTrace(Cmd.Result r) {
    for (String line : r.lines()) {
      String l = line.replaceFirst("^\\[(ERROR|WARNING|INFO)\\] ?", "");
      assertFalse(l.startsWith("\tat ") || l.matches("\\s+at [\\w$.]+\\(.*\\)\\s*") || l.startsWith("Caused by:")
          || l.matches(".*\\b[\\w$.]+(Exception|Error): .*"),
          "a stack trace or exception line in the output: \"" + line + "\"\n" + r.describe());
    }
    assertNotNull(r.output());
  }
}
