package io.github.researchcycle.core.run;

import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.data.DataCache;
import io.github.researchcycle.core.data.DataManifests;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.core.data.Hashes;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.model.ledger.LedgerException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** research:run checks the experiment's data set before training and records its hash. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunServiceDataTest {
  @TempDir Path root;
  @TempDir Path cache;
  Git git;
  final byte[] content = "a,b,label\n1,2,0\n3,4,1\n".repeat(100).getBytes();
  final RunServiceFixture.CapturingReporter reporter = new RunServiceFixture.CapturingReporter();
  RunService service;

  @BeforeEach
  void repository() throws Exception {
    git = init(root);
    write(root, "research.yaml", RunServiceTest.RESEARCH_YAML);
    write(root, "experiments/smoke.yaml", RunServiceTest.EXPERIMENT + "data:\n  name: table\n");
    Files.createDirectories(root.resolve("source"));
    Files.write(root.resolve("source/table.csv"), content);
    write(root, "data/table.yaml", String.join("\n",
        "name: table",
        "licence: 'CC0-1.0'",
        "citation: 'T. Able. A table. 2026.'",
        "format: csv",
        "sources:",
        "  - file: {path: source}",
        "files:",
        "  - {name: table.csv, size: " + content.length + ", sha256: " + Hashes.sha256(content) + "}",
        "splits:",
        "  train: {file: table.csv}",
        ""));
    commitAll(git, "start");
    service = new RunService(Clock.systemUTC(), new RunIds(Clock.systemUTC(), new SecureRandom()),
        ProcessProbe.system(), "testhost").withDataCache(cache);
  }

  @AfterEach
  void close() {
    git.close();
  }

  RunRequest request(boolean full) {
    return new RunRequest(root, "smoke", null, List.of(), null, null, false, null, RunServiceTest.testClasspath(),
        "0.1.0-SNAPSHOT", full, null, false, null);
  }

  boolean noRunFolder() throws Exception {
    Path runs = root.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return true;
    }
    try (var s = Files.list(runs)) {
      return s.noneMatch(Files::isDirectory);
    }
  }

  @Test
  void goodDataIsFetchedRecordedAndPassedToTraining() throws Exception {
    RunOutcome o = service.run(request(false), reporter).get(0);
    RunRecord r = o.record();
    assertEquals(RunStatus.FINISHED, r.status(), r.reason());
    String hash = DataManifests.load(root, "table").hash();
    assertEquals(Map.of("table", hash), r.data());
    assertTrue(hash.matches("sha256:[0-9a-f]{64}"), hash);
    assertEquals(Map.of("table", hash), service.store(root).read(r.id()).data(), "run.json has it");
    String property = "-D" + DataService.DIR_PROPERTY_PREFIX + "table=" + cache.resolve("table").toAbsolutePath();
    assertTrue(r.launcher().command().contains(property), r.launcher().command()::toString);
    assertTrue(Files.readString(o.dir().resolve("launch.sh")).contains(property));
    assertTrue(Files.isRegularFile(cache.resolve("table/table.csv")));
    String said = String.join("\n", reporter.lines);
    assertTrue(said.contains("licensed CC0-1.0"), said);
    assertTrue(said.contains("T. Able. A table. 2026."), said);
  }

  @Test
  void corruptedCacheRefusesBeforeTrainingWithoutARunFolder() throws Exception {
    service.run(request(false), reporter);
    Files.walk(root.resolve("runs")).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    Path cached = cache.resolve("table/table.csv");
    FileTime mtime = Files.getLastModifiedTime(cached);
    try (RandomAccessFile f = new RandomAccessFile(cached.toFile(), "rw")) {
      f.seek(10);
      f.write('X');
    }
    Files.setLastModifiedTime(cached, mtime);
    String actual = Hashes.sha256(cached);

    // Same size and mtime: the fast path trusts the stamp; the full check refuses.
    ResearchException e = assertThrows(ResearchException.class, () -> service.run(request(true), reporter));
    assertTrue(e.getMessage().contains("table.csv does not match"), e.getMessage());
    assertTrue(e.getMessage().contains("expected sha256 " + Hashes.sha256(content)), e.getMessage());
    assertTrue(e.getMessage().contains("actual sha256 " + actual), e.getMessage());
    assertTrue(e.getMessage().contains("mvn research:data -Dresearch.data.fetch"), e.getMessage());
    assertTrue(e.getMessage().contains("stopped before training"), e.getMessage());
    assertTrue(noRunFolder(), "no run folder for a refused run");

    // Touched (a changed mtime): the fast path hashes it and refuses too.
    Files.setLastModifiedTime(cached, FileTime.fromMillis(mtime.toMillis() + 5000));
    ResearchException fast = assertThrows(ResearchException.class, () -> service.run(request(false), reporter));
    assertTrue(fast.getMessage().contains("actual sha256 " + actual), fast.getMessage());
    assertTrue(noRunFolder());
  }

  @Test
  void truncatedCacheFileIsRefused() throws Exception {
    new DataService(root, new DataCache(cache)).fetch(DataManifests.load(root, "table"), reporter);
    Path cached = cache.resolve("table/table.csv");
    try (RandomAccessFile f = new RandomAccessFile(cached.toFile(), "rw")) {
      f.setLength(10);
    }
    ResearchException e = assertThrows(ResearchException.class, () -> service.run(request(false), reporter));
    assertTrue(e.getMessage().contains("table.csv is truncated (10 bytes, expected " + content.length + ")"),
        e.getMessage());
    assertTrue(noRunFolder());
  }

  @Test
  void anExperimentNamingADataSetWithoutAManifestIsRefusedBeforeAnyRunFolder() throws Exception {
    write(root, "experiments/smoke.yaml", RunServiceTest.EXPERIMENT + "data:\n  name: synthetic\n");
    ResearchException e = assertThrows(ResearchException.class, () -> service.run(request(false), reporter));
    assertTrue(e.getMessage().startsWith("The experiment's `data.name` is `synthetic`, and there is no "
        + "data/synthetic.yaml"), e.getMessage());
    String[] folders = root.resolve("runs").toFile().list();
    assertTrue(folders == null || folders.length == 0, "no run folder");
  }

  @Test
  void aLedgerLineEditedByHandStopsTheRunBeforeAnyRunFolder() throws Exception {
    write(root, ".research/ledger.jsonl", "{not a ledger entry\n");
    LedgerException e = assertThrows(LedgerException.class, () -> service.run(request(false), reporter));
    assertTrue(e.getMessage().contains("ledger.jsonl:1: not a ledger entry"), e.getMessage());
    String[] folders = root.resolve("runs").toFile().list();
    assertTrue(folders == null || folders.length == 0, "no run folder");
  }
}
