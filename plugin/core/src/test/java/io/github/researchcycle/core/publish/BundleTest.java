package io.github.researchcycle.core.publish;

import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
  static final Instant WHEN = Instant.parse("2026-03-14T15:09:26Z");

  @TempDir Path dir;
  @TempDir Path out;

  /** Commits everything at a fixed time, so that zips can be compared across commits. */
  static RevCommit commit(Git git, String message, Instant when) throws Exception {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent who = new PersonIdent("Test Author", "author@example.com", when, ZoneId.of("Europe/Paris"));
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  /** Entry name to content (null for directories), in zip order. */
  static Map<String, String> read(Path zip) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        entries.put(e.getName(), e.isDirectory() ? null
            : new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  static List<String> files(Map<String, String> entries) {
    return entries.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
  }

  @Test
  void holdsExactlyTheCommittedFilesPlusExtras() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, "src/main/java/Train.java", "class Train {}\n");
      write(dir, "runs/20261127-025120-123-k3f9x2ab/run.json", "{\"status\":\"finished\"}\n");
      write(dir, ".gitignore", "target/\n");
      Files.write(dir.resolve("data.bin"), new byte[] {0, 1, 2, (byte) 255});
      RevCommit c = commit(git, "start", WHEN);

      write(dir, "src/main/java/Train.java", "class Train { int uncommitted; }\n");
      write(dir, "untracked.txt", "not in git\n");
      Path post = write(dir, "target/publish/post.md", "# Post\n");
      Path reproduce = write(dir, "target/publish/REPRODUCE.md", "mvn research:reproduce\n");
      Map<String, Path> extra = Map.of("writeup/post.md", post, "REPRODUCE.md", reproduce);

      Path zip = Bundle.write(dir, c.name(), out.resolve("study-bundle.zip"), extra);
      assertEquals(out.resolve("study-bundle.zip"), zip);
      Map<String, String> entries = read(zip);
      assertEquals(List.of("study-bundle/", "study-bundle/.gitignore", "study-bundle/REPRODUCE.md",
          "study-bundle/data.bin", "study-bundle/research.yaml", "study-bundle/runs/",
          "study-bundle/runs/20261127-025120-123-k3f9x2ab/", "study-bundle/runs/20261127-025120-123-k3f9x2ab/run.json",
          "study-bundle/src/", "study-bundle/src/main/", "study-bundle/src/main/java/",
          "study-bundle/src/main/java/Train.java", "study-bundle/writeup/", "study-bundle/writeup/post.md"),
          new ArrayList<>(entries.keySet()), "sorted, under one top-level directory, no untracked file");
      assertEquals("class Train {}\n", entries.get("study-bundle/src/main/java/Train.java"), "the committed content");
      assertEquals("# Post\n", entries.get("study-bundle/writeup/post.md"));
      assertEquals("mvn research:reproduce\n", entries.get("study-bundle/REPRODUCE.md"));
      try (ZipFile z = new ZipFile(zip.toFile())) {
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255},
            z.getInputStream(z.getEntry("study-bundle/data.bin")).readAllBytes(), "binary files intact");
        for (ZipEntry e : Collections.list(z.entries())) {
          assertEquals(LocalDateTime.of(2026, 3, 14, 15, 9, 26), e.getTimeLocal(), "the commit time in UTC: " + e);
        }
      }
      try (Stream<Path> left = Files.list(out)) {
        assertEquals(List.of(zip), left.toList(), "no temporary file left beside the zip");
      }
    }
  }

  @Test
  void aLaterCommitDoesNotChangeTheBundleOfAnEarlierOne() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, "src/Train.java", "class Train {}\n");
      RevCommit first = commit(git, "start", WHEN);
      write(dir, "src/Train.java", "class Train { int later; }\n");
      write(dir, "src/Added.java", "class Added {}\n");
      RevCommit second = commit(git, "more", WHEN.plusSeconds(3600));

      Map<String, String> a = read(Bundle.write(dir, first.name(), out.resolve("a.zip"), Map.of()));
      assertEquals(List.of("a/research.yaml", "a/src/Train.java"), files(a));
      assertEquals("class Train {}\n", a.get("a/src/Train.java"));
      Map<String, String> b = read(Bundle.write(dir, second.name(), out.resolve("b.zip"), Map.of()));
      assertEquals(List.of("b/research.yaml", "b/src/Added.java", "b/src/Train.java"), files(b));
      assertEquals("class Train { int later; }\n", b.get("b/src/Train.java"));
      Map<String, String> head = read(Bundle.write(dir, "HEAD", out.resolve("b.zip"), Map.of()));
      assertEquals(b, head, "a ref name works as well as an id");
    }
  }

  @Test
  void byteIdenticalOnASecondWrite() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, "src/Train.java", "class Train {}\n".repeat(200));
      write(dir, "experiments/smoke.yaml", "epochs: 1\n");
      RevCommit c = commit(git, "start", WHEN);
      Path post = write(dir, "target/publish/post.md", "# Post\n");
      Map<String, Path> extra = new TreeMap<>(Map.of("writeup/post.md", post));

      Path first = Bundle.write(dir, c.name(), out.resolve("one/study.zip"), extra);
      byte[] bytes = Files.readAllBytes(first);
      Files.setLastModifiedTime(post, FileTime.from(Instant.now().plusSeconds(99)));
      Path second = Bundle.write(dir, c.name(), out.resolve("two/study.zip"), new LinkedHashMap<>(extra));
      assertArrayEquals(bytes, Files.readAllBytes(second), "same inputs, same bytes");
      TimeZone zone = TimeZone.getDefault();
      try {
        TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
        Bundle.write(dir, c.name(), first, extra);
      } finally {
        TimeZone.setDefault(zone);
      }
      assertArrayEquals(bytes, Files.readAllBytes(first), "rewritten in place, in another time zone: same bytes");
    }
  }

  @Test
  void subfolderResearchRepository() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "other/notes.txt", "not part of the study\n");
      write(dir, "top.txt", "top\n");
      write(dir, "study/research.yaml", "title: t\n");
      write(dir, "study/src/Train.java", "class Train {}\n");
      write(dir, "study-old/research.yaml", "a sibling whose name starts the same\n");
      RevCommit c = commit(git, "start", WHEN);
      Map<String, String> entries = read(Bundle.write(dir.resolve("study"), c.name(), out.resolve("s.zip"),
          Map.of("REPRODUCE.md", write(out, "R.md", "r\n"))));
      assertEquals(List.of("s/REPRODUCE.md", "s/research.yaml", "s/src/Train.java"), files(entries));
    }
  }

  @Test
  void anExtraReplacesATrackedFileOfTheSamePath() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, "writeup/post.md", "an old render\n");
      RevCommit c = commit(git, "start", WHEN);
      Map<String, String> entries = read(Bundle.write(dir, c.name(), out.resolve("s.zip"),
          Map.of("writeup/post.md", write(out, "post.md", "the new render\n"))));
      assertEquals(List.of("s/research.yaml", "s/writeup/post.md"), files(entries));
      assertEquals("the new render\n", entries.get("s/writeup/post.md"));
    }
  }

  @Test
  void refusesTrackedSecretsAndWritesNothing() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      write(dir, "config/.env", "TOKEN=1\n");
      RevCommit c = commit(git, "start", WHEN);
      Path zip = out.resolve("s.zip");
      ResearchException e = assertThrows(ResearchException.class, () -> Bundle.write(dir, c.name(), zip, Map.of()));
      assertTrue(e.getMessage().contains("config/.env (environment file"), e.getMessage());
      assertTrue(e.getMessage().contains("git rm --cached config/.env"), e.getMessage());
      assertTrue(e.getMessage().contains("rotate the secret"), e.getMessage());
      assertTrue(e.getMessage().contains(".gitignore"), e.getMessage());
      assertFalse(Files.exists(zip));
      try (Stream<Path> left = Files.list(out)) {
        assertEquals(0, left.count());
      }

      git.rm().setCached(true).addFilepattern("config/.env").call();
      write(dir, ".gitignore", ".env\n");
      RevCommit fixed = commit(git, "stop tracking .env", WHEN.plusSeconds(60));
      assertEquals(List.of("s/.gitignore", "s/research.yaml"), files(read(Bundle.write(dir, fixed.name(), zip, Map.of()))));
    }
  }

  @Test
  void badInputsAreExplained() throws Exception {
    try (Git git = init(dir)) {
      write(dir, "research.yaml", "title: t\n");
      RevCommit c = commit(git, "start", WHEN);
      Path zip = out.resolve("s.zip");
      Path file = write(out, "f.md", "f\n");
      for (String bad : List.of("../escape.md", "/abs.md", "a//b.md", "dir/", "a\\b.md", "./x.md")) {
        ResearchException e = assertThrows(ResearchException.class,
            () -> Bundle.write(dir, c.name(), zip, Map.of(bad, file)), bad);
        assertTrue(e.getMessage().contains("not a plain relative path"), e.getMessage());
      }
      ResearchException missing = assertThrows(ResearchException.class,
          () -> Bundle.write(dir, c.name(), zip, Map.of("REPRODUCE.md", out.resolve("absent.md"))));
      assertTrue(missing.getMessage().contains("REPRODUCE.md"), missing.getMessage());
      ResearchException clash = assertThrows(ResearchException.class,
          () -> Bundle.write(dir, c.name(), zip, Map.of("research.yaml/x.md", file)));
      assertTrue(clash.getMessage().contains("both as a file and as a folder"), clash.getMessage());
      ResearchException noCommit = assertThrows(ResearchException.class,
          () -> Bundle.write(dir, "0123456789abcdef0123456789abcdef01234567", zip, Map.of()));
      assertTrue(noCommit.getMessage().contains("does not exist"), noCommit.getMessage());
      assertFalse(Files.exists(zip));
    }
  }
}
