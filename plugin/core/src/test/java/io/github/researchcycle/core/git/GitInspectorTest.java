package io.github.researchcycle.core.git;

import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.core.ResearchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitInspectorTest {
  @TempDir Path dir;

  @Test
  void outsideARepositoryExplainsGitInit() {
    assumeTrue(new FileRepositoryBuilder().findGitDir(dir.toFile()).getGitDir() == null,
        "the temporary folder is itself inside a git repository");
    ResearchException e = assertThrows(ResearchException.class, () -> GitInspector.inspect(dir));
    assertTrue(e.getMessage().contains("git init"), e.getMessage());
  }

  @Test
  void repositoryWithoutCommitExplainsTheFix() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      ResearchException e = assertThrows(ResearchException.class, () -> GitInspector.inspect(dir));
      assertTrue(e.getMessage().contains("no commit yet"), e.getMessage());
      assertTrue(e.getMessage().contains("git add -A && git commit"), e.getMessage());
    }
  }

  @Test
  void cleanAfterCommit() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, "src/Train.java", "class Train {}\n");
      RevCommit c = commitAll(git, "start");
      GitProvenance p = GitInspector.inspect(dir);
      assertEquals(c.name(), p.commit());
      assertEquals("main", p.branch());
      assertTrue(p.clean());
      assertNull(p.diffHash());
      assertEquals(List.of(), p.changedFiles());
      assertEquals("", p.folder());
    }
  }

  @Test
  void modifiedFileMakesItDirty() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, "src/Train.java", "class Train {}\n");
      commitAll(git, "start");
      write(dir, "src/Train.java", "class Train { int changed; }\n");
      GitProvenance p = GitInspector.inspect(dir);
      assertFalse(p.clean());
      assertNotNull(p.diffHash());
      assertTrue(p.diffHash().matches("sha256:[0-9a-f]{64}"), p.diffHash());
      assertEquals(List.of("src/Train.java"), p.changedFiles());

      write(dir, "src/Train.java", "class Train { int changedAgain; }\n");
      assertNotEquals(p.diffHash(), GitInspector.inspect(dir).diffHash());
    }
  }

  @Test
  void untrackedAndDeletedFilesMakeItDirty() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, "old.txt", "old\n");
      commitAll(git, "start");
      Files.delete(dir.resolve("old.txt"));
      write(dir, "new.txt", "new\n");
      GitProvenance p = GitInspector.inspect(dir);
      assertFalse(p.clean());
      assertEquals(List.of("new.txt", "old.txt"), p.changedFiles());
    }
  }

  @Test
  void runsFolderNeverMakesItDirty() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      commitAll(git, "start");
      write(dir, "runs/20261127-025120-123-k3f9x2ab/run.json", "{}\n");
      write(dir, "runs/20261127-025120-123-k3f9x2ab/metrics.jsonl", "");
      GitProvenance p = GitInspector.inspect(dir);
      assertTrue(p.clean(), () -> "changed: " + p.changedFiles());
    }
  }

  @Test
  void diffHashIgnoresTheRunsFolder() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      commitAll(git, "start");
      write(dir, "research.yaml", "title: changed\n");
      GitProvenance before = GitInspector.inspect(dir);
      write(dir, "runs/20261127-025120-123-k3f9x2ab/run.json", "{\"written\":\"by a run\"}\n");
      GitProvenance after = GitInspector.inspect(dir);
      assertEquals(List.of("research.yaml"), after.changedFiles());
      assertEquals(before.diffHash(), after.diffHash(),
          "a run writing into runs/ must not change the diff hash of the code it ran");
    }
  }

  @Test
  void researchFolderInsideALargerRepository() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "other/notes.txt", "notes\n");
      write(dir, "sample/research.yaml", "title: t\n");
      write(dir, "sample/src/Train.java", "class Train {}\n");
      RevCommit c = commitAll(git, "start");
      Path sample = dir.resolve("sample");

      GitProvenance p = GitInspector.inspect(sample);
      assertTrue(p.clean());
      assertEquals("sample", p.folder());
      assertEquals(c.name(), p.commit());

      write(dir, "other/notes.txt", "notes, changed\n");
      write(dir, "other/new.txt", "new\n");
      write(dir, "top.txt", "top\n");
      assertTrue(GitInspector.inspect(sample).clean(), "changes outside the research folder do not count");
      write(dir, "sample/runs/20261127-025120-123-k3f9x2ab/run.json", "{}\n");
      assertTrue(GitInspector.inspect(sample).clean(), "sample/runs/ does not count");

      write(dir, "sample/src/Train.java", "class Train { int x; }\n");
      GitProvenance dirty = GitInspector.inspect(sample);
      assertFalse(dirty.clean());
      assertEquals(List.of("src/Train.java"), dirty.changedFiles());
      assertEquals("sample", dirty.folder());
      assertNotNull(dirty.diffHash());

      write(dir, "other/notes.txt", "notes, changed again\n");
      assertEquals(dirty.diffHash(), GitInspector.inspect(sample).diffHash(),
          "the diff hash covers the research folder only");
      assertFalse(GitInspector.inspect(dir).clean(), "the whole repository is dirty");
    }
  }
}
