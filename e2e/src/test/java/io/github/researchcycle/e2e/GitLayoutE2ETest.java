package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectFailure;
import static io.github.researchcycle.e2e.ResearchProject.expectOutput;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the research folder sits: outside any git repository (refused, with the fix), or as a
 * subfolder of a larger repository (provenance scoped to that folder).
 */
@Tag("e2e")
class GitLayoutE2ETest {
  @TempDir
  static Path tmp;

  /** The generated sources, never put under git: each test copies them. */
  static ResearchProject pristine;

  @BeforeAll
  static void generate() throws IOException {
    pristine = ResearchProject.generate(Files.createDirectory(tmp.resolve("generated")), "End-to-end: git layouts");
  }

  @Test
  @DisplayName("8. outside git: refused with `git init`, no run folder")
  void outsideGit() throws IOException {
    Path copy = Files.createDirectory(tmp.resolve("nogit"));
    Cmd.Result probe = Cmd.run(copy, "git", "rev-parse", "--show-toplevel");
    Assumptions.assumeTrue(probe.exitCode() != 0,
        "the temporary folder is itself inside a git repository: " + probe.output());
    pristine.copySourcesTo(copy);
    ResearchProject project = new ResearchProject(copy);

    Cmd.Result r = project.mvn("research:run");
    expectFailure(r);
    expectOutput(r, "git init");
    RunE2ETest.noStackTrace(r);
    assertEquals(Set.of(), project.runIds(), "no run folder outside git\n" + r.describe());
  }

  @Test
  @DisplayName("9. a subfolder of a larger repository: git.folder, and changes outside it do not count")
  void subfolderOfLargerRepository() throws IOException {
    Path repo = Files.createDirectory(tmp.resolve("mono"));
    Files.createDirectories(repo.resolve("other"));
    Files.writeString(repo.resolve("other/x.txt"), "x\n");
    Path study = Files.createDirectory(repo.resolve("study"));
    pristine.copySourcesTo(study);
    ResearchProject mono = new ResearchProject(repo);
    mono.git("init", "-q");
    mono.commitAll("init: other/ and study/");
    ResearchProject project = new ResearchProject(study);
    String head = project.head();

    // The cycle asks for a finished smoke run of the same code before any other experiment.
    Set<String> before = project.runIds();
    Cmd.Result smoke = project.mvn("research:run");
    expectSuccess(smoke);
    JsonNode smokeRec = project.record(project.onlyNewRun(before, smoke));
    assertEquals("study", smokeRec.path("git").path("folder").asText(), smokeRec.toPrettyString());

    before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.experiment=baseline", "-Dresearch.set=training.epochs=1");
    expectSuccess(r);
    String id = project.onlyNewRun(before, r);
    JsonNode rec = project.record(id);
    assertAll("study/runs/" + id + "/run.json\n" + rec.toPrettyString() + "\n" + r.describe(),
        () -> assertEquals("finished", rec.path("status").asText()),
        () -> assertEquals("study", rec.path("git").path("folder").asText()),
        () -> assertEquals(head, rec.path("git").path("commit").asText()),
        () -> assertTrue(rec.path("git").path("clean").asBoolean(false), "git.clean"));
    assertTrue(Files.isDirectory(repo.resolve("study/runs/" + id)), "the run lives in study/runs/");
    assertTrue(!Files.exists(repo.resolve("runs")), "no runs/ at the repository root");

    // A change outside the research folder does not make it dirty.
    Files.writeString(repo.resolve("other/x.txt"), "x, changed\n");
    assertTrue(mono.git("status", "--porcelain").contains("other/x.txt"));
    before = project.runIds();
    Cmd.Result again = project.mvn("research:run", "-Dresearch.experiment=baseline",
        "-Dresearch.set=training.epochs=1");
    expectSuccess(again);
    String second = project.onlyNewRun(before, again);
    JsonNode rec2 = project.record(second);
    assertAll("study/runs/" + second + "/run.json\n" + rec2.toPrettyString() + "\n" + again.describe(),
        () -> assertEquals("finished", rec2.path("status").asText()),
        () -> assertTrue(rec2.path("git").path("clean").asBoolean(false), "git.clean"),
        () -> assertEquals("study", rec2.path("git").path("folder").asText()));
  }
}
