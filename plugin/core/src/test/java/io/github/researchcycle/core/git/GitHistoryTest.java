package io.github.researchcycle.core.git;

import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHistoryTest {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final String GONE = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path root;
  Git git;

  @BeforeEach
  void repository() throws Exception {
    git = init(root);
  }

  @AfterEach
  void close() {
    git.close();
  }

  RevCommit commitAt(String message, Instant when) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent who = new PersonIdent("Test Author", "author@example.com", when, ZoneOffset.UTC);
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  @Test
  void fileAtACommit() throws Exception {
    write(root, "research.yaml", "title: one\n");
    RevCommit first = commitAt("one", T0);
    write(root, "research.yaml", "title: two\n");
    RevCommit second = commitAt("two", T0.plusSeconds(60));

    assertEquals(Optional.of("title: one\n"), GitHistory.fileAt(root, first.name(), "research.yaml"));
    assertEquals(Optional.of("title: two\n"), GitHistory.fileAt(root, second.name(), "research.yaml"));
    assertEquals(Optional.of("title: two\n"), GitHistory.fileAt(root, "HEAD", "research.yaml"));
    assertEquals(Optional.of("title: one\n"), GitHistory.fileAt(root, first.name().substring(0, 12), "research.yaml"));
    assertEquals(Optional.empty(), GitHistory.fileAt(root, first.name(), "missing.yaml"));
  }

  @Test
  void fileAtACommitThatIsGoneIsEmpty() throws Exception {
    write(root, "research.yaml", "title: one\n");
    RevCommit c = commitAt("one", T0);
    assertEquals(Optional.empty(), GitHistory.fileAt(root, GONE, "research.yaml"));
    assertEquals(Optional.empty(), GitHistory.fileAt(root, "no-such-branch", "research.yaml"));
    // An id that names a blob, not a commit.
    ObjectId blob = git.getRepository().resolve(c.name() + ":research.yaml");
    assertEquals(Optional.empty(), GitHistory.fileAt(root, blob.name(), "research.yaml"));
  }

  @Test
  void firstCommitted() throws Exception {
    write(root, "src/Train.java", "class Train {}\n");
    commitAt("code", T0);
    assertEquals(Optional.empty(), GitHistory.firstCommitted(root, "research.yaml"));
    write(root, "research.yaml", "title: one\n");
    commitAt("one", T0.plusSeconds(3600));
    write(root, "research.yaml", "title: two\n");
    commitAt("two", T0.plusSeconds(7200));
    assertEquals(Optional.of(T0.plusSeconds(3600)), GitHistory.firstCommitted(root, "research.yaml"));
  }

  @Test
  void firstCommittedInAnEmptyRepository() {
    write(root, "research.yaml", "title: one\n");
    assertEquals(Optional.empty(), GitHistory.firstCommitted(root, "research.yaml"));
  }

  @Test
  void sameCodeIgnoresRunRecordsAndTheWriteup() throws Exception {
    write(root, "src/Train.java", "class Train {}\n");
    RevCommit code = commitAt("code", T0);
    write(root, "runs/20260302-090000-000-abcdefgh/run.json", "{}\n");
    write(root, "writeup/journal.md", "- a note\n");
    RevCommit records = commitAt("records", T0.plusSeconds(60));
    write(root, "src/Train.java", "class Train { int changed; }\n");
    RevCommit changed = commitAt("change", T0.plusSeconds(120));

    assertTrue(GitHistory.sameCode(root, code.name(), code.name()));
    assertTrue(GitHistory.sameCode(root, code.name(), records.name()));
    assertTrue(GitHistory.sameCode(root, records.name(), code.name()));
    assertFalse(GitHistory.sameCode(root, code.name(), changed.name()));
    assertFalse(GitHistory.sameCode(root, records.name(), changed.name()));
    assertFalse(GitHistory.sameCode(root, GONE, changed.name()), "a commit that is gone vouches for nothing");
    assertFalse(GitHistory.sameCode(root, changed.name(), GONE));
  }

  @Test
  void sameCodeInAResearchFolderIgnoresTheRestOfTheRepository() throws Exception {
    Path study = root.resolve("study");
    write(study, "src/Train.java", "class Train {}\n");
    write(root, "other/Other.java", "class Other {}\n");
    RevCommit a = commitAt("a", T0);
    write(root, "other/Other.java", "class Other { int changed; }\n");
    write(root, "runs/x.json", "{}\n");
    RevCommit b = commitAt("b", T0.plusSeconds(60));
    write(study, "runs/20260302-090000-000-abcdefgh/run.json", "{}\n");
    RevCommit c = commitAt("c", T0.plusSeconds(120));
    write(study, "src/Train.java", "class Train { int changed; }\n");
    RevCommit d = commitAt("d", T0.plusSeconds(180));

    assertTrue(GitHistory.sameCode(study, a.name(), b.name()));
    assertTrue(GitHistory.sameCode(study, a.name(), c.name()));
    assertFalse(GitHistory.sameCode(study, c.name(), d.name()));
    assertFalse(GitHistory.sameCode(root, a.name(), b.name()), "for the whole repository, other/ is code");
  }

  @Test
  void committed() throws Exception {
    assertFalse(GitHistory.committed(root, "research.yaml"), "no commit yet");
    write(root, "src/Train.java", "class Train {}\n");
    commitAt("code", T0);
    assertFalse(GitHistory.committed(root, "research.yaml"), "absent");
    write(root, "research.yaml", "title: one\n");
    assertFalse(GitHistory.committed(root, "research.yaml"), "untracked");
    git.add().addFilepattern("research.yaml").call();
    assertFalse(GitHistory.committed(root, "research.yaml"), "staged only");
    commitAt("one", T0.plusSeconds(60));
    assertTrue(GitHistory.committed(root, "research.yaml"));
    write(root, "src/Train.java", "class Train { int changed; }\n");
    assertTrue(GitHistory.committed(root, "research.yaml"), "other files do not matter");
    write(root, "research.yaml", "title: two\n");
    assertFalse(GitHistory.committed(root, "research.yaml"), "modified");
    write(root, "research.yaml", "title: one\n");
    assertTrue(GitHistory.committed(root, "research.yaml"), "changed back");
    Files.delete(root.resolve("research.yaml"));
    assertFalse(GitHistory.committed(root, "research.yaml"), "deleted");
  }

  @Test
  void committedInAResearchFolder() throws Exception {
    Path study = root.resolve("study");
    write(root, "research.yaml", "title: top\n");
    commitAt("top", T0);
    write(study, "research.yaml", "title: study\n");
    assertFalse(GitHistory.committed(study, "research.yaml"), "the top-level file is not the study's");
    commitAt("study", T0.plusSeconds(60));
    assertTrue(GitHistory.committed(study, "research.yaml"));
    write(root, "research.yaml", "title: changed\n");
    assertTrue(GitHistory.committed(study, "research.yaml"));
    assertEquals(Optional.of("title: study\n"), GitHistory.fileAt(study, "HEAD", "research.yaml"));
    assertEquals(Optional.of(T0.plusSeconds(60)), GitHistory.firstCommitted(study, "research.yaml"));
  }
}
