package io.github.researchcycle.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cache: file source, concurrent fetches (threads and processes), fast and full verification. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheTest {
  @TempDir Path root;
  final Map<String, byte[]> files = DataFixtures.twoFiles();
  final DataFixtures.Lines reporter = new DataFixtures.Lines();

  DataService service() {
    return new DataService(root, new DataCache(root.resolve("cache")), Duration.ofMillis(5));
  }

  DataManifest fileManifest() throws Exception {
    Path src = Files.createDirectories(root.resolve("source"));
    for (var e : files.entrySet()) {
      Files.write(src.resolve(e.getKey()), e.getValue());
    }
    DataFixtures.writeManifest(root, "bytes", DataFixtures.manifest("bytes", "file: {path: source}", files));
    return DataManifests.load(root, "bytes");
  }

  Path cached(String name) {
    return root.resolve("cache/bytes").resolve(name);
  }

  @Test
  void fileSourceCopiesRelativeToTheRepository() throws Exception {
    DataManifest m = fileManifest();
    DataService s = service();
    assertEquals(List.of("train.csv", "test.csv"), s.fetch(m, reporter).fetched());
    assertArrayEquals(files.get("train.csv"), Files.readAllBytes(cached("train.csv")));
    assertEquals(DataService.State.VERIFIED, s.status(m).state());
    assertTrue(Files.isRegularFile(root.resolve("cache/bytes.lock")));
    assertTrue(Files.isRegularFile(cached(Stamp.FILE)));
  }

  @Test
  void missingFileInTheSourceIsNamed() throws Exception {
    DataManifest m = fileManifest();
    Files.delete(root.resolve("source/test.csv"));
    ResearchException e = assertThrows(ResearchException.class, () -> service().fetch(m, reporter));
    assertTrue(e.getMessage().contains("no file " + root.resolve("source/test.csv")), e.getMessage());
  }

  @Test
  void fastPathTrustsAnUnchangedStampAndTheFullCheckFindsTheCorruptByte() throws Exception {
    DataManifest m = fileManifest();
    DataService s = service();
    s.fetch(m, reporter);
    Path train = cached("train.csv");
    FileTime mtime = Files.getLastModifiedTime(train);
    try (RandomAccessFile f = new RandomAccessFile(train.toFile(), "rw")) {
      f.seek(1234);
      int b = f.read();
      f.seek(1234);
      f.write(b ^ 0xff);
    }
    Files.setLastModifiedTime(train, mtime);

    DataService.Verified fast = s.verify(m, false, reporter);
    assertEquals(2, fast.trusted());
    assertEquals(0, fast.hashed());
    assertEquals(DataService.State.VERIFIED, s.status(m).state());

    String actual = Hashes.sha256(train);
    ResearchException e = assertThrows(ResearchException.class, () -> s.verify(m, true, reporter));
    assertTrue(e.getMessage().contains("train.csv does not match"), e.getMessage());
    assertTrue(e.getMessage().contains("expected sha256 " + Hashes.sha256(files.get("train.csv"))), e.getMessage());
    assertTrue(e.getMessage().contains("actual sha256 " + actual), e.getMessage());
    assertTrue(e.getMessage().contains("mvn research:data -Dresearch.data.fetch"), e.getMessage());
    assertTrue(e.getMessage().contains("delete " + root.resolve("cache/bytes")), e.getMessage());
    // The full check withdrew the stamp's trust: now the fast path finds it too.
    assertThrows(ResearchException.class, () -> s.verify(m, false, reporter));
    assertEquals(DataService.State.CACHED, s.status(m).state());

    // A fetch repairs it.
    assertEquals(List.of("train.csv"), s.fetch(m, reporter).fetched());
    assertEquals(2, s.verify(m, true, reporter).hashed());
  }

  @Test
  void touchedFileIsHashedAgainByTheFastPath() throws Exception {
    DataManifest m = fileManifest();
    DataService s = service();
    s.fetch(m, reporter);
    Files.setLastModifiedTime(cached("test.csv"), FileTime.fromMillis(1_000_000));
    DataService.Verified v = s.verify(m, false, reporter);
    assertEquals(1, v.trusted());
    assertEquals(1, v.hashed());
    assertEquals(2, s.verify(m, false, reporter).trusted(), "the re-hash renewed the stamp");
  }

  @Test
  void truncatedFileIsCaughtByTheFastPath() throws Exception {
    DataManifest m = fileManifest();
    DataService s = service();
    s.fetch(m, reporter);
    Path train = cached("train.csv");
    FileTime mtime = Files.getLastModifiedTime(train);
    try (RandomAccessFile f = new RandomAccessFile(train.toFile(), "rw")) {
      f.setLength(1000);
    }
    Files.setLastModifiedTime(train, mtime);
    ResearchException e = assertThrows(ResearchException.class, () -> s.verify(m, false, reporter));
    assertTrue(e.getMessage().contains("train.csv is truncated (1000 bytes, expected 300000)"), e.getMessage());
    assertTrue(e.getMessage().contains("actual sha256 " + Hashes.sha256(train)), e.getMessage());
    assertEquals(DataService.State.CACHED, s.status(m).state());
  }

  @Test
  void missingFileIsNamed() throws Exception {
    DataManifest m = fileManifest();
    DataService s = service();
    s.fetch(m, reporter);
    Files.delete(cached("test.csv"));
    ResearchException e = assertThrows(ResearchException.class, () -> s.verify(m, false, reporter));
    assertTrue(e.getMessage().contains("test.csv is missing: expected sha256 "
        + Hashes.sha256(files.get("test.csv")) + ", actual: no file"), e.getMessage());
    assertEquals(DataService.State.MISSING, s.status(m).state());
  }

  /** Watches a cache folder: any final file it sees must be complete. */
  static CompletableFuture<Void> reader(Path dir, Map<String, byte[]> files, AtomicBoolean stop,
      AtomicReference<String> partial) {
    return CompletableFuture.runAsync(() -> {
      while (!stop.get()) {
        for (var e : files.entrySet()) {
          try {
            byte[] seen = Files.readAllBytes(dir.resolve(e.getKey()));
            if (seen.length != e.getValue().length) {
              partial.set(e.getKey() + ": " + seen.length + " bytes");
            }
          } catch (NoSuchFileException x) {
            // Not there yet.
          } catch (Exception x) {
            partial.set(x.toString());
          }
        }
      }
    });
  }

  @Test
  void twoThreadsFetchEachFileOnce() throws Exception {
    try (TestServer server = new TestServer()) {
      server.files.putAll(files);
      server.throttleMillisPer64k = 40;
      DataFixtures.writeManifest(root, "bytes",
          DataFixtures.manifest("bytes", "url: {base: '" + server.base() + "'}", files));
      DataManifest m = DataManifests.load(root, "bytes");
      Files.createDirectories(root.resolve("cache/bytes"));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<String> partial = new AtomicReference<>();
      CompletableFuture<Void> watcher = reader(root.resolve("cache/bytes"), files, stop, partial);
      List<CompletableFuture<DataService.Fetched>> fetches = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        fetches.add(CompletableFuture.supplyAsync(() -> {
          try {
            return service().fetch(m, reporter);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      List<DataService.Fetched> done = fetches.stream().map(CompletableFuture::join).toList();
      stop.set(true);
      watcher.join();
      assertEquals(1, server.requests("train.csv"));
      assertEquals(1, server.requests("test.csv"));
      assertEquals(2, done.stream().mapToInt(d -> d.fetched().size()).sum(), done::toString);
      assertEquals(2, done.stream().mapToInt(d -> d.kept().size()).sum(), done::toString);
      assertEquals(null, partial.get(), "a reader saw a partial file");
      assertTrue(reporter.toString().contains("waiting for it"), reporter.toString());
    }
  }

  @Test
  void twoProcessesFetchEachFileOnce() throws Exception {
    try (TestServer server = new TestServer()) {
      server.files.putAll(files);
      server.throttleMillisPer64k = 150;
      DataFixtures.writeManifest(root, "bytes",
          DataFixtures.manifest("bytes", "url: {base: '" + server.base() + "'}", files));
      Files.createDirectories(root.resolve("cache/bytes"));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<String> partial = new AtomicReference<>();
      CompletableFuture<Void> watcher = reader(root.resolve("cache/bytes"), files, stop, partial);
      List<Process> processes = new ArrayList<>();
      List<Path> outputs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Path out = root.resolve("fetch-" + i + ".log");
        outputs.add(out);
        processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), FetchMain.class.getName(), root.toString(),
            root.resolve("cache").toString(), "bytes").redirectErrorStream(true).redirectOutput(out.toFile())
            .start());
      }
      StringBuilder logs = new StringBuilder();
      for (int i = 0; i < 2; i++) {
        assertTrue(processes.get(i).waitFor(50, TimeUnit.SECONDS));
        logs.append(Files.readString(outputs.get(i), StandardCharsets.UTF_8));
        assertEquals(0, processes.get(i).exitValue(), logs::toString);
      }
      stop.set(true);
      watcher.join();
      assertEquals(1, server.requests("train.csv"), logs::toString);
      assertEquals(1, server.requests("test.csv"), logs::toString);
      assertTrue(logs.toString().contains("fetched [train.csv, test.csv]"), logs::toString);
      assertTrue(logs.toString().contains("fetched []"), logs::toString);
      assertTrue(logs.toString().contains("Another process is fetching data set bytes"), logs::toString);
      assertEquals(null, partial.get(), "a reader saw a partial file");
      assertArrayEquals(files.get("train.csv"), Files.readAllBytes(cached("train.csv")));
      assertFalse(new File(root.resolve("cache/bytes").toFile(), ".train.csv.part").exists());
    }
  }

  @Test
  void cacheLocation() {
    assertEquals(Path.of("/x/y"), DataCache.locate("/x/y"));
    String before = System.getProperty(DataCache.PROPERTY);
    try {
      System.setProperty(DataCache.PROPERTY, "/from/property");
      assertEquals(Path.of("/from/property"), DataCache.locate(null));
      assertEquals(Path.of("/x"), DataCache.locate("/x"));
    } finally {
      if (before == null) {
        System.clearProperty(DataCache.PROPERTY);
      } else {
        System.setProperty(DataCache.PROPERTY, before);
      }
    }
    if (System.getenv(DataCache.ENV) == null) {
      assertEquals(Path.of(System.getProperty("user.home"), ".cache", "research-cycle", "data"),
          DataCache.locate(""));
    }
  }
}
