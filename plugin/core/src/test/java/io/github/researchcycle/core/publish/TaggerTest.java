package io.github.researchcycle.core.publish;

import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaggerTest {
  @TempDir Path dir;

  record Result(int exit, String out) {}

  /** Runs the git command line in {@code repo}, or skips the test if git is not installed. */
  static Result git(Path repo, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "git is not on the PATH");
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "git " + String.join(" ", args) + " hangs");
    return new Result(p.exitValue(), out);
  }

  static List<Ref> tags(Git git) throws Exception {
    return git.tagList().call();
  }

  @Test
  void createsAnAnnotatedTagOnHeadThatGitReads() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      RevCommit c = commitAll(git, "start");
      Tagger.Tag tag = Tagger.tag(dir, "study-v1", "Published study: POSITIVE\n\nmean 0.91 ± 0.01 over 3 seeds");
      assertEquals(new Tagger.Tag("study-v1", c.name(), true), tag);

      Ref ref = git.getRepository().exactRef("refs/tags/study-v1");
      assertNotNull(ref);
      try (RevWalk walk = new RevWalk(git.getRepository())) {
        RevTag t = walk.parseTag(ref.getObjectId());
        assertEquals(c, t.getObject());
        assertEquals("Published study: POSITIVE\n\nmean 0.91 ± 0.01 over 3 seeds\n", t.getFullMessage());
        assertNotNull(t.getTaggerIdent());
      }

      Result type = git(dir, "cat-file", "-t", "study-v1");
      assertEquals(new Result(0, "tag\n"), type);
      Result list = git(dir, "tag", "-n1");
      assertEquals(0, list.exit(), list.out());
      assertTrue(list.out().matches("study-v1\\s+Published study: POSITIVE\n"), list.out());
      assertEquals(c.name() + "\n", git(dir, "rev-parse", "study-v1^{commit}").out());
      Result fsck = git(dir, "fsck", "--strict");
      assertEquals(0, fsck.exit(), fsck.out());
    }
  }

  @Test
  void taggingTheSameCommitTwiceCreatesOneTag() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      RevCommit c = commitAll(git, "start");
      assertTrue(Tagger.tag(dir, "study-v1", "first").created());
      ObjectId tagObject = git.getRepository().exactRef("refs/tags/study-v1").getObjectId();
      Tagger.Tag again = Tagger.tag(dir, "study-v1", "second");
      assertEquals(new Tagger.Tag("study-v1", c.name(), false), again);
      assertEquals(1, tags(git).size());
      assertEquals(tagObject, git.getRepository().exactRef("refs/tags/study-v1").getObjectId(), "not rewritten");
    }
  }

  @Test
  void theSameNameOnAnotherCommitIsRefused() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      RevCommit first = commitAll(git, "start");
      Tagger.tag(dir, "study-v1", "first");
      write(dir, "research.yaml", "title: changed\n");
      commitAll(git, "change");
      ResearchException e = assertThrows(ResearchException.class, () -> Tagger.tag(dir, "study-v1", "again"));
      assertTrue(e.getMessage().contains("already exists on commit " + first.name().substring(0, 12)), e.getMessage());
      assertTrue(e.getMessage().contains("choose another name or a new version, e.g. study-v2"), e.getMessage());
      assertEquals(first, git.getRepository().getRefDatabase()
          .peel(git.getRepository().exactRef("refs/tags/study-v1")).getPeeledObjectId(), "the tag did not move");
      Tagger.tag(dir, "study-v2", "second");
      ResearchException next = assertThrows(ResearchException.class, () -> Tagger.tag(dir, "study-v1", "again"));
      assertTrue(next.getMessage().contains("e.g. study-v3"), next.getMessage());
    }
  }

  @Test
  void aLightweightTagOfThatNameIsRefused() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      commitAll(git, "start");
      git.tag().setName("study-v1").setAnnotated(false).call();
      ResearchException e = assertThrows(ResearchException.class, () -> Tagger.tag(dir, "study-v1", "m"));
      assertTrue(e.getMessage().contains("lightweight"), e.getMessage());
      assertTrue(e.getMessage().contains("git tag -d study-v1"), e.getMessage());
    }
  }

  @Test
  void deleteRemovesTheTag() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      commitAll(git, "start");
      Tagger.tag(dir, "study-v1", "m");
      Tagger.tag(dir, "other-v1", "m");
      Tagger.delete(dir, "study-v1");
      assertNull(git.getRepository().exactRef("refs/tags/study-v1"));
      assertNotNull(git.getRepository().exactRef("refs/tags/other-v1"), "only that tag");
      Tagger.delete(dir, "study-v1"); // already gone: nothing to do
      assertTrue(Tagger.tag(dir, "study-v1", "m").created(), "the name is free again");
      Result list = git(dir, "tag", "-l");
      assertEquals("other-v1\nstudy-v1\n", list.out());
      Tagger.delete(dir, "study-v1");
      assertEquals("other-v1\n", git(dir, "tag", "-l").out());
      assertEquals(0, git(dir, "fsck").exit());
    }
  }

  @Test
  void findOnReturnsAnAnnotatedTagWithThePrefixOnThatCommit() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      RevCommit first = commitAll(git, "start");
      assertEquals(Optional.empty(), Tagger.findOn(dir, first.name(), "study-published-"));
      git.tag().setName("study-published-9").setAnnotated(false).call();
      Tagger.tag(dir, "other-published-1", "m");
      assertEquals(Optional.empty(), Tagger.findOn(dir, first.name(), "study-published-"),
          "lightweight tags and other prefixes do not count");
      Tagger.tag(dir, "study-published-1", "m");
      assertEquals(Optional.of(new Tagger.Tag("study-published-1", first.name(), false)),
          Tagger.findOn(dir, first.name(), "study-published-"));
      assertEquals(Optional.of(new Tagger.Tag("study-published-1", first.name(), false)),
          Tagger.findOn(dir, "HEAD", "study-published-"));

      write(dir, "research.yaml", "title: changed\n");
      RevCommit second = commitAll(git, "change");
      assertEquals(Optional.empty(), Tagger.findOn(dir, second.name(), "study-published-"), "not on this commit");
      Tagger.tag(dir, "study-published-2", "m");
      assertEquals("study-published-2", Tagger.findOn(dir, second.name(), "study-published-").orElseThrow().name());
      assertEquals("study-published-1", Tagger.findOn(dir, first.name(), "study-published-").orElseThrow().name());
      assertEquals(Optional.empty(), Tagger.findOn(dir, "0123456789abcdef0123456789abcdef01234567", "study"));
    }
  }

  @Test
  void badNamesAreRefused() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      commitAll(git, "start");
      for (String bad : List.of("", " ", "two words", "a..b", "x~1", "y^", "z:", "q?", "star*", "br[", "back\\slash",
          "end.", "end/", "x.lock", "-dash", "@{x}", "/lead")) {
        ResearchException e = assertThrows(ResearchException.class, () -> Tagger.tag(dir, bad, "m"), "'" + bad + "'");
        assertTrue(e.getMessage().contains("study-v1"), e.getMessage());
      }
      assertEquals(0, tags(git).size());
      assertTrue(Tagger.tag(dir, "study/v1.0", "m").created(), "slashes and dots are fine");
    }
  }

  @Test
  void subfolderResearchRepositoryTagsTheRepositoryHead() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "other/notes.txt", "n\n");
      write(dir, "study/research.yaml", "title: t\n");
      RevCommit c = commitAll(git, "start");
      Path study = dir.resolve("study");
      assertEquals(new Tagger.Tag("study-v1", c.name(), true), Tagger.tag(study, "study-v1", "m"));
      assertEquals("study-v1", Tagger.findOn(study, c.name(), "study-").orElseThrow().name());
      Tagger.delete(study, "study-v1");
      assertEquals(0, tags(git).size());
    }
  }

  @Test
  void noCommitIsExplained() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      ResearchException e = assertThrows(ResearchException.class, () -> Tagger.tag(dir, "study-v1", "m"));
      assertTrue(e.getMessage().contains("git commit"), e.getMessage());
    }
  }

  @Test
  void taggerComesFromGitConfigOrTheDefault() throws Exception {
    assumeTrue(System.getenv("GIT_COMMITTER_NAME") == null && System.getenv("GIT_COMMITTER_EMAIL") == null,
        "the environment names a committer");
    PersonIdent fallback = Tagger.tagger(new Config());
    assertEquals("Research Cycle", fallback.getName());
    assertEquals("research@localhost", fallback.getEmailAddress());

    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      commitAll(git, "start");
      StoredConfig config = git.getRepository().getConfig();
      config.setString("user", null, "name", "Ada Lovelace");
      config.setString("user", null, "email", "ada@example.org");
      config.save();
      Tagger.tag(dir, "study-v1", "m");
      try (RevWalk walk = new RevWalk(git.getRepository())) {
        PersonIdent who = walk.parseTag(git.getRepository().exactRef("refs/tags/study-v1").getObjectId())
            .getTaggerIdent();
        assertEquals("Ada Lovelace", who.getName());
        assertEquals("ada@example.org", who.getEmailAddress());
      }
      assertFalse(git(dir, "for-each-ref", "--format=%(taggername)", "refs/tags").out().isBlank());
    }
  }
}
