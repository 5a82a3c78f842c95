package io.github.researchcycle.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassSnapshotsTest {
  @TempDir Path project;
  @TempDir Path elsewhere;

  private Path classes(String content) throws Exception {
    Path classes = project.resolve("target/classes");
    Files.createDirectories(classes.resolve("org/example"));
    Files.writeString(classes.resolve("org/example/Train.class"), content);
    Files.writeString(classes.resolve("app.properties"), "a=1\n");
    age(classes);
    return classes;
  }

  /** Makes every file and folder under {@code dir} a minute old: a compile long finished. */
  private static void age(Path dir) throws Exception {
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofMinutes(1)));
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        Files.setLastModifiedTime(p, old);
      }
    }
  }

  @Test
  void foldersOfTheProjectAreCopiedByContentAndOthersKept() throws Exception {
    Path classes = classes("one");
    Path jar = Files.writeString(elsewhere.resolve("lib.jar"), "jar");
    List<Path> first = new ClassSnapshots().snapshot(project, List.of(classes, jar, elsewhere), "org.example.Train");
    Path copy = first.get(0);
    assertTrue(copy.startsWith(project.resolve("target").resolve(ClassSnapshots.FOLDER)), copy.toString());
    assertEquals("one", Files.readString(copy.resolve("org/example/Train.class")));
    assertEquals("a=1\n", Files.readString(copy.resolve("app.properties")));
    assertEquals(List.of(jar, elsewhere), first.subList(1, 3), "what is outside the project stays");

    assertEquals(first, new ClassSnapshots().snapshot(project, List.of(classes, jar, elsewhere), "org.example.Train"),
        "the same classes, the same copy");
    classes("two");
    Path second = new ClassSnapshots().snapshot(project, List.of(classes), "org.example.Train").get(0);
    assertNotEquals(copy, second);
    assertEquals("two", Files.readString(second.resolve("org/example/Train.class")));
    assertEquals("one", Files.readString(copy.resolve("org/example/Train.class")), "a copy never changes");
  }

  @Test
  void aMainClassMissingFromSettledClassesIsNotWaitedFor() throws Exception {
    Path classes = classes("one");
    long t0 = System.nanoTime();
    Path copy = new ClassSnapshots().snapshot(project, List.of(classes), "org.example.Typo").get(0);
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(1)) < 0, "no wait");
    assertTrue(Files.isRegularFile(copy.resolve("org/example/Train.class")));
  }

  @Test
  void freshlyWrittenClassesAreCopiedOnceQuiet() throws Exception {
    Path classes = classes("one");
    Files.writeString(classes.resolve("org/example/Train.class"), "fresh");
    long t0 = System.nanoTime();
    Path copy = new ClassSnapshots().snapshot(project, List.of(classes), "org.example.Train").get(0);
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofMillis(800)) > 0,
        "waited for the compile to be over");
    assertEquals("fresh", Files.readString(copy.resolve("org/example/Train.class")));
  }
}
