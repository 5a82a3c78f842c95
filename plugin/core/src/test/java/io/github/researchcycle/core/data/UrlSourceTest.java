package io.github.researchcycle.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code url} source against a loopback HTTP server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UrlSourceTest {
  @TempDir Path root;
  TestServer server;
  Map<String, byte[]> files;
  DataService service;
  DataFixtures.Lines reporter = new DataFixtures.Lines();

  @BeforeEach
  void start() throws Exception {
    server = new TestServer();
    files = DataFixtures.twoFiles();
    server.files.putAll(files);
    service = new DataService(root, new DataCache(root.resolve("cache")), Duration.ofMillis(5));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  DataManifest manifest(Map<String, byte[]> declared) {
    DataFixtures.writeManifest(root, "bytes",
        DataFixtures.manifest("bytes", "url: {base: '" + server.base() + "'}", declared));
    return DataManifests.load(root, "bytes");
  }

  Path cached(String name) {
    return root.resolve("cache/bytes").resolve(name);
  }

  List<String> leftovers() throws Exception {
    try (Stream<Path> s = Files.list(root.resolve("cache/bytes"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
    }
  }

  @Test
  void goodDownload() throws Exception {
    DataManifest m = manifest(files);
    assertEquals(DataService.State.MISSING, service.status(m).state());
    DataService.Fetched f = service.fetch(m, reporter);
    assertEquals(List.of("train.csv", "test.csv"), f.fetched());
    assertArrayEquals(files.get("train.csv"), Files.readAllBytes(cached("train.csv")));
    assertArrayEquals(files.get("test.csv"), Files.readAllBytes(cached("test.csv")));
    assertEquals(DataService.State.VERIFIED, service.status(m).state());
    assertEquals(List.of(), leftovers());
    assertTrue(reporter.toString().contains("licensed CC0-1.0"), reporter.toString());
    assertTrue(reporter.toString().contains("Cite it as: A. Tester. Bytes. 2026."), reporter.toString());
    // A second fetch finds everything in place.
    DataService.Fetched again = service.fetch(m, reporter);
    assertEquals(List.of(), again.fetched());
    assertEquals(1, server.requests("train.csv"));
  }

  @Test
  void connectionDroppedBeforeContentLengthIsResumedWithRange() throws Exception {
    server.fault("train.csv", TestServer.Fault.LYING_LENGTH);
    service.fetch(manifest(files), reporter);
    assertArrayEquals(files.get("train.csv"), Files.readAllBytes(cached("train.csv")));
    assertEquals(2, server.requests("train.csv"));
    assertEquals(1, server.ranges.size(), server.ranges::toString);
    assertTrue(server.ranges.get(0).startsWith("train.csv bytes="), server.ranges::toString);
    assertTrue(reporter.toString().contains("Resuming train.csv"), reporter.toString());
    long offset = Long.parseLong(server.ranges.get(0).replaceAll(".*bytes=(\\d+)-", "$1"));
    assertTrue(offset > 0 && offset <= 150_000, server.ranges::toString);
    assertTrue(server.bytesSent.get() < files.get("train.csv").length + files.get("test.csv").length + 150_000,
        "the resumed download does not start over: " + server.bytesSent.get());
  }

  @Test
  void shortBodyIsResumedWithRange() throws Exception {
    server.fault("train.csv", TestServer.Fault.SHORT_CHUNKED, TestServer.Fault.SHORT_CHUNKED);
    service.fetch(manifest(files), reporter);
    assertArrayEquals(files.get("train.csv"), Files.readAllBytes(cached("train.csv")));
    assertEquals(3, server.requests("train.csv"));
    assertEquals(List.of("train.csv bytes=150000-", "train.csv bytes=225000-"), server.ranges);
    assertTrue(reporter.toString().contains("ended after 150000 of 300000 bytes"), reporter.toString());
  }

  @Test
  void partialFileLeftByAnEarlierFetchIsResumed() throws Exception {
    Files.createDirectories(root.resolve("cache/bytes"));
    Files.write(root.resolve("cache/bytes/.train.csv.part"), Arrays.copyOf(files.get("train.csv"), 1000));
    service.fetch(manifest(files), reporter);
    assertArrayEquals(files.get("train.csv"), Files.readAllBytes(cached("train.csv")));
    assertEquals(List.of("train.csv bytes=1000-"), server.ranges);
  }

  @Test
  void wrongChecksumKeepsNoFileAndNamesBothHashes() throws Exception {
    Map<String, byte[]> declared = new LinkedHashMap<>(files);
    byte[] other = DataFixtures.bytes(300_000, 99);
    declared.put("train.csv", other);
    DataManifest m = manifest(declared);
    ResearchException e = assertThrows(ResearchException.class, () -> service.fetch(m, reporter));
    String expected = Hashes.sha256(other);
    String actual = Hashes.sha256(files.get("train.csv"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains(actual), e.getMessage());
    assertTrue(e.getMessage().contains("train.csv"), e.getMessage());
    assertFalse(Files.exists(cached("train.csv")));
    assertEquals(List.of(), leftovers());
    assertEquals(DataService.State.MISSING, service.status(m).state());
  }

  @Test
  void serverErrorIsRetried() throws Exception {
    server.fault("test.csv", TestServer.Fault.ERROR_500, TestServer.Fault.ERROR_500);
    service.fetch(manifest(files), reporter);
    assertArrayEquals(files.get("test.csv"), Files.readAllBytes(cached("test.csv")));
    assertEquals(3, server.requests("test.csv"));
    assertTrue(reporter.toString().contains("HTTP 500"), reporter.toString());
  }

  @Test
  void persistentServerErrorGivesUpAfterThreeRetries() throws Exception {
    server.fault("test.csv", TestServer.Fault.ERROR_500, TestServer.Fault.ERROR_500, TestServer.Fault.ERROR_500,
        TestServer.Fault.ERROR_500, TestServer.Fault.ERROR_500);
    ResearchException e = assertThrows(ResearchException.class, () -> service.fetch(manifest(files), reporter));
    assertEquals(4, server.requests("test.csv"));
    assertTrue(e.getMessage().contains("after 4 attempts"), e.getMessage());
    assertTrue(Files.exists(cached("train.csv")), "the file fetched before is kept");
  }

  @Test
  void notFoundFailsAtOnce() throws Exception {
    server.files.remove("test.csv");
    ResearchException e = assertThrows(ResearchException.class, () -> service.fetch(manifest(files), reporter));
    assertEquals(1, server.requests("test.csv"));
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    assertTrue(e.getMessage().contains(server.base() + "test.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
  }

  @Test
  void aSecondSourceIsTriedWhenTheFirstFails() throws Exception {
    Path mirror = Files.createDirectories(root.resolve("mirror"));
    Files.write(mirror.resolve("test.csv"), files.get("test.csv"));
    server.files.remove("test.csv");
    DataFixtures.writeManifest(root, "bytes", DataFixtures.manifest("bytes",
        "url: {base: '" + server.base() + "'}\nfile: {path: mirror}", files));
    service.fetch(DataManifests.load(root, "bytes"), reporter);
    assertArrayEquals(files.get("test.csv"), Files.readAllBytes(cached("test.csv")));
  }
}
