package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectFailure;
import static io.github.researchcycle.e2e.ResearchProject.expectOutput;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole research cycle on a generated repository, as a researcher walks it: status at each
 * stage, the smoke gate, runs over seeds, a claim edited after the first full run, verification,
 * publication refused on a dirty tree and on a planted secret, publication, the tag read with the
 * git command line, and the bundle reproduced elsewhere.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CycleE2ETest {
  @TempDir
  static Path work;

  static ResearchProject project;

  @BeforeAll
  static void generate() {
    project = ResearchProject.generate(work, "Cycle end to end");
    // Two seeds and short training keep the test in CI's budget; the cycle is the same with five.
    project.write("research.yaml", read("research.yaml").replace("seeds: 5 ", "seeds: 2 "));
    project.write("experiments/baseline.yaml", read("experiments/baseline.yaml")
        .replace("  samples: 3000", "  samples: 600").replace("  epochs: 15", "  epochs: 3"));
    project.git("init", "-q");
  }

  static String read(String relative) {
    try {
      return Files.readString(project.dir.resolve(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @Order(1)
  void proposedUntilTheDescriptorIsCommitted() {
    Cmd.Result r = project.mvn("research:status");
    expectSuccess(r);
    expectOutput(r, "Stage: PROPOSED");
    project.commitAll("Pre-register the claim");
    r = project.mvn("research:status");
    expectOutput(r, "Stage: EXPLORING");
    expectOutput(r, "mvn research:run");
  }

  @Test
  @Order(2)
  void aBaselineBeforeAnySmokeRunIsRefused() {
    var before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.experiment=baseline");
    expectFailure(r);
    expectOutput(r, "Gate EXPLORING -> RUNNING");
    assertEquals(before, project.runIds(), "no run folder for a refused run");
  }

  @Test
  @Order(3)
  void runsOverSeedsConcludeTheClaim() {
    expectSuccess(project.mvn("research:run"));
    Cmd.Result r = project.mvn("research:status");
    expectOutput(r, "Stage: RUNNING");
    expectSuccess(project.mvn("research:run", "-Dresearch.experiment=baseline", "-Dresearch.seeds=2"));
    expectSuccess(project.mvn("research:run", "-Dresearch.experiment=wide", "-Dresearch.seeds=2"));
    project.commitAll("Runs");
    r = project.mvn("research:status");
    expectOutput(r, "Stage: CONCLUDED");
    expectOutput(r, "Pre-registration: unchanged");
    expectOutput(r, "baseline           2 /   2");
  }

  @Test
  @Order(4)
  void aClaimEditedAfterTheFirstFullRunShows() {
    project.write("research.yaml", read("research.yaml").replace("  margin: 0.02", "  margin: 0.001"));
    project.commitAll("Lower the margin");
    Cmd.Result r = project.mvn("research:status");
    expectOutput(r, "the claim changed after its pre-registration");
    expectOutput(r, "claim.margin: 0.02 -> 0.001");
  }

  @Test
  @Order(5)
  void verifyReRunsARecordedRunBitForBit() {
    Cmd.Result r = project.mvn("research:verify");
    expectSuccess(r);
    expectOutput(r, "every logged value bit-identical");
    project.commitAll("Verified");
  }

  @Test
  @Order(6)
  void publishRefusesADirtyTreeAndASecretAndLeavesNoTag() {
    Cmd.Result u = project.mvn("research:publish", "-Dresearch.updateReadme=true");
    expectFailure(u);
    expectOutput(u, "results table was rewritten");
    project.commitAll("Results table");
    project.append("experiments/wide.yaml", "# an edit not yet committed\n");
    Cmd.Result r = project.mvn("research:publish");
    expectFailure(r);
    expectOutput(r, "experiments/wide.yaml");
    assertEquals("", project.git("tag", "-l"), "no tag after a refusal");
    project.git("checkout", "--", "experiments/wide.yaml");

    project.write(".env", "API_TOKEN=not-a-real-one\n");
    project.commitAll("Oops");
    r = project.mvn("research:publish");
    expectFailure(r);
    expectOutput(r, ".env");
    assertEquals("", project.git("tag", "-l"), "no tag after a refusal");
    assertFalse(Files.exists(project.dir.resolve("target/publish")), "no publication after a refusal");
    project.git("rm", "-q", "--cached", ".env");
    project.append(".gitignore", ".env\n");
    project.commitAll("Remove the secret");
  }

  @Test
  @Order(7)
  void publishTagsTheVerdictAndTheBundleReproduces() throws IOException {
    Cmd.Result r = project.mvn("research:publish");
    expectSuccess(r);
    String tag = project.git("tag", "-l");
    assertEquals("spirals-published-1", tag);
    assertEquals("tag", project.git("cat-file", "-t", tag));
    String message = project.git("tag", "-n20", tag);
    assertTrue(message.contains("Verdict: "), message);
    expectSuccess(Cmd.run(project.dir, Cmd.git("fsck")));
    String post = Files.readString(project.dir.resolve("target/publish/post.md"), StandardCharsets.UTF_8);
    assertTrue(post.contains("The claim changed after its pre-registration"), post);
    assertTrue(post.contains("claim.margin: 0.02 -> 0.001"), post);
    String html = Files.readString(project.dir.resolve("target/publish/report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("data:image/svg+xml;base64,"), "figures inlined in the report");

    // Publishing the same commit again makes no second tag.
    expectSuccess(project.mvn("research:publish"));
    assertEquals("spirals-published-1", project.git("tag", "-l"));

    Path elsewhere = work.resolve("reader");
    unzip(project.dir.resolve("target/publish/spirals-bundle.zip"), elsewhere);
    Path bundle = elsewhere.resolve("spirals-bundle");
    assertTrue(Files.isRegularFile(bundle.resolve("REPRODUCE.md")));
    Cmd.Result reproduced = Cmd.run(bundle, Cmd.mvn("research:reproduce"));
    expectSuccess(reproduced);
    expectOutput(reproduced, "bit-identical");
    assertFalse(reproduced.output().contains("DIFFERS"), reproduced.describe());
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        Path to = into.resolve(e.getName()).normalize();
        assertTrue(to.startsWith(into), "zip entry escapes: " + e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(in, to);
        }
      }
    }
  }
}
