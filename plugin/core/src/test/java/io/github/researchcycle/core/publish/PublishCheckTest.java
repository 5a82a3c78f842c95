package io.github.researchcycle.core.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.cycle.Verdict;
import io.github.researchcycle.core.store.RunStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * research:publish with a kept rendering ({@code -Dresearch.copyTo}) and its check
 * ({@code -Dresearch.check=true}): the copy is what target/publish holds, a check of an unchanged
 * repository passes on any later commit and on a dirty tree, and every kind of drift is named.
 */
class PublishCheckTest {
  static final String KEEP = "writeup/published";

  @TempDir Path dir;
  PublishFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.git.close();
    }
  }

  /** Publishes with a kept copy and commits it, as a researcher would. */
  private Publication publishKept() throws Exception {
    f.makeReady();
    Publication p = f.service().publish(new PublishRequest(f.root, false, null, "0.1.0-test", KEEP, false), f.reporter);
    f.commit("Keep the rendering of " + p.tag());
    return p;
  }

  private CheckResult check() throws IOException {
    return f.service().check(new PublishRequest(f.root, false, null, "0.1.0-test", null, true), f.reporter);
  }

  @Test
  void theKeptCopyIsThePublicationAndChecksCleanOnALaterCommit() throws Exception {
    f = PublishFixture.create(dir);
    Publication p = publishKept();
    Path keep = f.root.resolve(KEEP);
    for (String file : List.of("post.md", "report.html", "results.json")) {
      assertEquals(Files.readString(p.dir().resolve(file)), Files.readString(keep.resolve(file)), file);
    }
    try (Stream<Path> figures = Files.list(p.dir().resolve("figures"))) {
      for (Path fig : (Iterable<Path>) figures::iterator) {
        assertTrue(Files.isRegularFile(keep.resolve("figures").resolve(fig.getFileName())), fig.toString());
      }
    }
    assertTrue(f.reporter.lines.stream().anyMatch(l -> l.contains("Copied the rendering into " + KEEP)),
        f.reporter.lines::toString);

    // A later commit that changes nothing the rendering reads, and an uncommitted file: still the same.
    Files.writeString(f.root.resolve("writeup/journal.md"), "# Journal\n\nA note after publishing.\n");
    f.commit("A note");
    Files.writeString(f.root.resolve("scratch.txt"), "uncommitted\n");
    List<String> tagsBefore = f.git.tagList().call().stream().map(r -> r.getName()).toList();
    CheckResult c = check();
    assertEquals(p.tag(), c.tag());
    assertEquals(p.commit(), c.commit());
    assertEquals(Verdict.POSITIVE, c.verdict());
    assertTrue(c.files() >= 5, "post, report, results, figures and the README: " + c.files());
    assertEquals(tagsBefore, f.git.tagList().call().stream().map(r -> r.getName()).toList(), "no tag made");
    assertTrue(Files.isRegularFile(f.target().resolve("publish-check/post.md")), "the rendering is left to diff");
  }

  @Test
  void aChangedRunRecordIsNamedWithTheFilesItChanges() throws Exception {
    f = PublishFixture.create(dir);
    publishKept();
    // Someone edits a metric by hand after publishing.
    Path record = f.store.dir(f.methodRuns.get(0).id()).resolve(RunStore.RUN_JSON);
    String json = Files.readString(record, StandardCharsets.UTF_8);
    Files.writeString(record, json.replace("\"validate_accuracy\" : 0.85", "\"validate_accuracy\" : 0.95"),
        StandardCharsets.UTF_8);
    // The ledger holds the record's hash from the run's end: the edit is refused before any rendering.
    GateException e = assertThrows(GateException.class, this::check);
    String m = e.getMessage();
    assertTrue(m.contains("runs/" + f.methodRuns.get(0).id() + "/run.json differs from what the ledger recorded"), m);
    assertTrue(m.contains("Fix: git checkout -- runs/" + f.methodRuns.get(0).id()), m);
    assertFalse(Files.exists(f.root.resolve("target/publish-check/post.md")), "nothing rendered");
  }

  @Test
  void aMissingOrExtraFileAndAnEditedReadmeAreNamed() throws Exception {
    f = PublishFixture.create(dir);
    publishKept();
    Files.delete(f.root.resolve(KEEP).resolve("report.html"));
    Files.writeString(f.root.resolve(KEEP).resolve("notes.txt"), "mine\n");
    String readme = f.read("README.md");
    Files.writeString(f.root.resolve("README.md"), readme.replace("**POSITIVE**", "**NEGATIVE**"));
    GateException e = assertThrows(GateException.class, this::check);
    String m = e.getMessage();
    assertTrue(m.contains(KEEP + "/report.html is missing"), m);
    assertTrue(m.contains(KEEP + "/notes.txt is not part of the rendering"), m);
    assertTrue(m.contains("README.md's results table differs (line 2, column 3: committed '**NEGATIVE**"), m);
  }

  @Test
  void withoutAKeptRenderingTheCheckSaysHowToMakeOne() throws Exception {
    f = PublishFixture.create(dir);
    f.makeReady();
    GateException e = assertThrows(GateException.class, this::check);
    assertEquals("writeup/published/results.json is missing, so there is no kept rendering to check. Fix: mvn "
        + "research:publish -Dresearch.copyTo=writeup/published, then git add writeup/published && git commit -m "
        + "\"Keep the published rendering\", then check.", e.getMessage());
  }

  @Test
  void aPublicationCommitMissingFromTheHistoryIsSaid() throws Exception {
    f = PublishFixture.create(dir);
    Publication p = publishKept();
    Path results = f.root.resolve(KEEP).resolve("results.json");
    String missing = "0123456789abcdef0123456789abcdef01234567";
    Files.writeString(results, Files.readString(results).replace(p.commit(), missing));
    GateException e = assertThrows(GateException.class, this::check);
    assertTrue(e.getMessage().startsWith(KEEP + "/results.json names commit " + missing + ", which is not in this "
        + "repository's history"), e.getMessage());
    assertTrue(e.getMessage().contains("Fix: git fetch --unshallow"), e.getMessage());
  }

  @Test
  void aTagOnAnotherCommitIsADifference() throws Exception {
    f = PublishFixture.create(dir);
    Publication p = publishKept();
    f.git.tagDelete().setTags(p.tag()).call();
    f.git.tag().setName(p.tag()).setAnnotated(true).setMessage("moved").call(); // on HEAD, not the published commit
    GateException e = assertThrows(GateException.class, this::check);
    assertTrue(e.getMessage().contains("the tag " + p.tag() + " is on commit "), e.getMessage());

    // A clone without the tag: said, not failed.
    f.git.tagDelete().setTags(p.tag()).call();
    check();
    assertTrue(f.reporter.lines.stream().anyMatch(l -> l.contains("is not in this clone")), f.reporter.lines::toString);
  }

  @Test
  void theKeptFolderMustBeInsideTheResearchFolderAndOutsideRunsAndTarget() throws Exception {
    f = PublishFixture.create(dir);
    for (String bad : List.of("runs/published", "target/x", "../elsewhere", ".", "src/main")) {
      ResearchException e = assertThrows(ResearchException.class, () -> f.service().publish(
          new PublishRequest(f.root, false, null, "0.1.0-test", bad, false), f.reporter), bad);
      assertTrue(e.getMessage().startsWith("research.copyTo must be a new folder inside the research repository"),
          e.getMessage());
    }
    assertFalse(Files.exists(f.root.resolve("target/publish")));
  }

  @Test
  void inASubfolderOfALargerRepositoryTheTagIsNamedAfterTheFolder() throws Exception {
    f = PublishFixture.create(dir, PublishFixture.spec().subfolder("samples/tiny-digits"));
    Publication p = publishKept();
    assertEquals("tiny-digits-published-1", p.tag());
    assertEquals(p.tag(), check().tag());
    String results = Files.readString(f.root.resolve(KEEP).resolve("results.json"), StandardCharsets.UTF_8);
    assertTrue(results.contains("\"tag\" : \"tiny-digits-published-1\""), results);
  }
}
