package io.github.researchcycle.core.run;

import static io.github.researchcycle.core.TestFiles.await;
import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.launch.LaunchContext;
import io.github.researchcycle.core.launch.LaunchProfile;
import io.github.researchcycle.core.launch.LocalLauncher;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricsReader;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** research:run when things go wrong: Maven stopped, several launches compiling at once, a full disk. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunFaultsTest {
  @TempDir Path root;
  Git git;
  final RunService service =
      new RunService(Clock.systemUTC(), new RunIds(Clock.systemUTC(), new SecureRandom()), ProcessProbe.system(),
          "testhost");
  final RunServiceFixture.CapturingReporter reporter = new RunServiceFixture.CapturingReporter();

  @BeforeEach
  void repository() throws Exception {
    git = init(root);
    write(root, ".gitignore", "target/\n");
    write(root, "research.yaml", RunServiceFixture.RESEARCH_YAML);
    write(root, "experiments/smoke.yaml", RunServiceFixture.EXPERIMENT + "  sleepUnlessResumed: 0\n");
    commitAll(git, "start");
  }

  @AfterEach
  void close() {
    git.close();
  }

  List<Path> runDirs() throws IOException {
    Path runs = root.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.filter(p -> RunIds.isValid(p.getFileName().toString())).sorted().toList();
    }
  }

  @Test
  void sigtermToMavenInterruptsTheRunAndStartsNoFurtherSeed() throws Exception {
    Path log = Files.createDirectories(root.resolve("target")).resolve("maven.log");
    Process maven = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), RunMain.class.getName(), "3",
        "behaviour.sleepUnlessResumed=60000")
        .directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    RunStore store = service.store(root);
    Long[] child = new Long[1];
    try {
      assertTrue(await(() -> {
        try {
          List<Path> dirs = runDirs();
          if (dirs.size() != 1) {
            return false;
          }
          String id = dirs.get(0).getFileName().toString();
          child[0] = store.find(id).map(RunRecord::pid).orElse(null);
          return child[0] != null && MetricsReader.read(dirs.get(0).resolve(RunStore.METRICS)).size() == 4;
        } catch (IOException e) {
          return false;
        }
      }, 60_000), "the first seed is training");

      maven.destroy(); // SIGTERM, as `kill` or a CI runner's cancel sends it
      assertTrue(maven.waitFor(40, TimeUnit.SECONDS), "Maven ends once the run is recorded");
    } finally {
      maven.destroyForcibly();
    }

    List<Path> dirs = runDirs();
    assertEquals(1, dirs.size(), "no further seed was started: " + Files.readString(log));
    RunRecord r = store.read(dirs.get(0).getFileName().toString());
    assertEquals(RunStatus.INTERRUPTED, r.status(), r.reason());
    assertEquals(143, r.exitCode());
    assertTrue(r.reason().contains("Maven was stopped"), r.reason());
    assertFalse(ProcessHandle.of(child[0]).map(ProcessHandle::isAlive).orElse(false), "the training JVM ended");
    String output = Files.readString(dirs.get(0).resolve(RunStore.OUTPUT_LOG));
    assertTrue(output.contains("fake-train: exiting"), "what it said after the stop is kept: " + output);

    RunRecord resumed = service.run(new RunRequest(root, null, null, null, null, null, false, r.id(),
        RunServiceFixture.testClasspath(), "0.1.0-SNAPSHOT", false, null, false, null), reporter).get(0).record();
    assertEquals(RunStatus.FINISHED, resumed.status(), resumed.reason());
    assertEquals(r.id(), resumed.id());
    assertEquals(1, runDirs().size());
  }

  @Test
  void concurrentRunsWhileAnotherCompileRewritesTheClassesAllRun() throws Exception {
    // The training class lives in the repository's own target/classes, which a "compile" keeps rewriting.
    String entry = FakeTrain.class.getName().replace('.', '/') + ".class";
    byte[] bytes;
    try (var in = FakeTrain.class.getClassLoader().getResourceAsStream(entry)) {
      bytes = in.readAllBytes();
    }
    Path classes = root.resolve("target/classes");
    Path classFile = classes.resolve(entry);
    Files.createDirectories(classFile.getParent());
    Files.write(classFile, bytes);
    List<Path> classpath = new ArrayList<>(List.of(classes));
    RunServiceFixture.testClasspath().stream().filter(p -> !p.endsWith("test-classes")).forEach(classpath::add);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger compiles = new AtomicInteger();
    Thread compiler = new Thread(() -> {
      try {
        while (!stop.get()) {
          Files.delete(classFile);
          Thread.sleep(600);
          Files.write(classFile, Arrays.copyOf(bytes, bytes.length / 2));
          Thread.sleep(100);
          Files.write(classFile, bytes);
          compiles.incrementAndGet();
          Thread.sleep(1500);
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, "compiler");
    int launches = 8;
    ExecutorService pool = Executors.newFixedThreadPool(launches);
    List<Future<RunRecord>> runs = new ArrayList<>();
    try {
      compiler.start();
      for (int i = 0; i < launches; i++) {
        long seed = i + 1;
        runs.add(pool.submit(() -> service.run(new RunRequest(root, "smoke", null, List.of(), seed, 1, false, null,
            classpath, "0.1.0-SNAPSHOT", false, null, false, null), reporter).get(0).record()));
        Thread.sleep(150);
      }
      for (Future<RunRecord> f : runs) {
        RunRecord r = f.get(100, TimeUnit.SECONDS);
        assertEquals(RunStatus.FINISHED, r.status(), r.reason());
      }
    } finally {
      stop.set(true);
      compiler.join();
      pool.shutdownNow();
    }
    assertTrue(compiles.get() >= 1, "the classes were rewritten while the runs started");
    assertEquals(launches, runDirs().size());
    for (Path d : runDirs()) {
      RunRecord r = service.store(root).read(d.getFileName().toString());
      String cp = r.launcher().command().get(r.launcher().command().indexOf("-cp") + 1);
      assertTrue(cp.split(File.pathSeparator)[0].contains("target/research-classes/"), cp);
    }
  }

  @Test
  void aFullDiskWhenTheEndIsWrittenRecordsACrashForTheDiskWhenSpaceAllows() throws Exception {
    RunStore plain = service.store(root);
    AtomicInteger refused = new AtomicInteger();
    // The disk fills while the run trains: the first write of its end fails, the small rewrite fits.
    RunStore store = plain.writingWith((file, record) -> {
      if (!record.status().active() && refused.getAndIncrement() == 0) {
        throw new IOException(file + ": No space left on device");
      }
      Json.writeAtomically(file, record);
    });
    RunRecord running = running(store);
    RunRecord done = new LocalLauncher().launch(context(store), List.of(running)).get(0);

    assertEquals(RunStatus.CRASHED, done.status());
    assertTrue(done.reason().startsWith("disk full"), done.reason());
    assertEquals(done, plain.read(running.id()));
  }

  @Test
  void aFullDiskWhenThePidIsRecordedEndsTheRunAsCrashed() throws Exception {
    RunStore plain = service.store(root);
    AtomicInteger refused = new AtomicInteger();
    RunStore store = plain.writingWith((file, record) -> {
      if (record.pid() != null && record.status().active() && refused.getAndIncrement() == 0) {
        throw new IOException(file + ": No space left on device");
      }
      Json.writeAtomically(file, record);
    });
    RunRecord running = running(store);
    ResearchException e = org.junit.jupiter.api.Assertions.assertThrows(ResearchException.class,
        () -> new LocalLauncher().launch(context(store), List.of(running)));
    assertTrue(e.getMessage().contains("disk is full"), e.getMessage());
    RunRecord r = plain.read(running.id());
    assertEquals(RunStatus.CRASHED, r.status());
    assertTrue(r.reason().startsWith("disk full"), r.reason());
  }

  @Test
  void aRecordCutShortByAFullDiskIsNamedOnOneLineAndTheNextRunGoesOn() throws Exception {
    RunRecord first = service.run(new RunRequest(root, "smoke", null, List.of(), null, 1, false, null,
        RunServiceFixture.testClasspath(), "0.1.0-SNAPSHOT", false, null, false, null), reporter).get(0).record();
    Path json = root.resolve("runs").resolve(first.id()).resolve(RunStore.RUN_JSON);
    String text = Files.readString(json);
    Files.writeString(json, text.substring(0, text.length() / 2));

    RunRecord next = service.run(new RunRequest(root, "smoke", null, List.of(), 2L, 1, false, null,
        RunServiceFixture.testClasspath(), "0.1.0-SNAPSHOT", false, null, false, null), reporter).get(0).record();
    assertEquals(RunStatus.FINISHED, next.status(), next.reason());
    List<String> named = reporter.lines.stream().filter(l -> l.startsWith("WARN") && l.contains(first.id()))
        .toList();
    assertEquals(1, named.size(), named::toString);
    assertTrue(named.get(0).startsWith("WARN runs/" + first.id() + "/run.json cannot be read ("), named.get(0));
  }

  private RunRecord running(RunStore store) throws IOException {
    String id = store.createDir();
    var config = Json.mapper().createObjectNode();
    config.putObject("training").put("epochs", 2);
    RunRecord r = new RunRecord(RunRecord.SCHEMA, id, "smoke", "local", RunStatus.RUNNING, null,
        Clock.systemUTC().instant(), null, null, null, "testhost", null, null, false, config, "sha256:00",
        List.of("experiments/smoke.yaml"), List.of(), FakeTrain.class.getName(), 1, null, null, null, null, null,
        null, null);
    store.write(r);
    return r;
  }

  private LaunchContext context(RunStore store) {
    return new LaunchContext(root, store, "local", LaunchProfile.defaultLocal(), RunServiceFixture.testClasspath(),
        Map.of(), false,
        reporter, "0.1.0-SNAPSHOT", true, false, 1, Clock.systemUTC());
  }
}
