package io.github.researchcycle.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code file} source names a folder that holds the files, or the one file itself. */
class FileSourceTest {
  @TempDir Path root;
  final DataFixtures.Lines reporter = new DataFixtures.Lines();

  DataService service() {
    return new DataService(root, new DataCache(root.resolve("cache")), Duration.ofMillis(5));
  }

  DataManifest manifest(String source, Map<String, byte[]> files) throws Exception {
    for (var e : files.entrySet()) {
      Path f = root.resolve("data/raw").resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.write(f, e.getValue());
    }
    DataFixtures.writeManifest(root, "bytes", DataFixtures.manifest("bytes", source, files));
    return DataManifests.load(root, "bytes");
  }

  @Test
  void aFolderDeliversEveryFileItHolds() throws Exception {
    Map<String, byte[]> files = DataFixtures.twoFiles();
    DataManifest m = manifest("file: {path: data/raw}", files);
    assertEquals(List.of("train.csv", "test.csv"), service().fetch(m, reporter).fetched());
    assertArrayEquals(files.get("test.csv"), Files.readAllBytes(root.resolve("cache/bytes/test.csv")));
  }

  @Test
  void aSingleFileIsFetched() throws Exception {
    Map<String, byte[]> files = Map.of("iris.csv", DataFixtures.bytes(4_551, 3));
    DataManifest m = manifest("file: {path: data/raw/iris.csv}", files);
    assertEquals(List.of("iris.csv"), service().fetch(m, reporter).fetched());
    assertArrayEquals(files.get("iris.csv"), Files.readAllBytes(root.resolve("cache/bytes/iris.csv")));
    assertEquals(DataService.State.VERIFIED, service().status(m).state());
  }

  @Test
  void anAbsoluteSingleFileIsFetched() throws Exception {
    Map<String, byte[]> files = Map.of("iris.csv", DataFixtures.bytes(100, 4));
    DataManifest m = manifest("file: {path: '" + root.resolve("data/raw/iris.csv").toAbsolutePath() + "'}", files);
    assertEquals(List.of("iris.csv"), service().fetch(m, reporter).fetched());
  }

  @Test
  void aSingleFileDeliversOnlyTheFileOfItsName() throws Exception {
    Map<String, byte[]> files = DataFixtures.twoFiles();
    DataManifest m = manifest("file: {path: data/raw/train.csv}", files);
    ResearchException e = assertThrows(ResearchException.class, () -> service().fetch(m, reporter));
    assertTrue(e.getMessage().contains("is a single file, not test.csv"), e.getMessage());
    assertTrue(Files.isRegularFile(root.resolve("cache/bytes/train.csv")), "the file it names was fetched");
  }
}
