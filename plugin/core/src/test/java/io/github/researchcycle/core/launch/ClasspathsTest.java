package io.github.researchcycle.core.launch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathsTest {
  @TempDir Path dir;

  @Test
  void findsClassesInFoldersAndJars() throws IOException {
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes.resolve("a/b"));
    Files.write(classes.resolve("a/b/Train.class"), new byte[] {1});
    Path jar = dir.resolve("lib.jar");
    try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("c/d/Model.class"));
      zip.write(1);
      zip.closeEntry();
    }
    Path broken = Files.writeString(dir.resolve("broken.jar"), "not a zip");
    List<Path> cp = List.of(broken, dir.resolve("missing"), classes, jar);
    assertTrue(Classpaths.contains(cp, "a.b.Train"));
    assertTrue(Classpaths.contains(cp, "c.d.Model"));
    assertFalse(Classpaths.contains(cp, "a.b.Model"));
    assertFalse(Classpaths.contains(List.of(), "a.b.Train"));
  }
}
