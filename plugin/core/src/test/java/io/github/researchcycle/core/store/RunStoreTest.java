package io.github.researchcycle.core.store;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.MutableClock;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.DiskFull;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
  static final Instant T0 = Instant.parse("2026-11-27T02:51:20.123Z");

  @TempDir Path runs;

  @Test
  void concurrentCreateDirAtTheSameInstantGivesDistinctFolders() throws Exception {
    MutableClock frozen = new MutableClock(T0);
    RunStore store = new RunStore(runs, frozen, new RunIds(frozen, new SecureRandom()), (pid, at) -> false);
    int threads = 16;
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit((Callable<String>) () -> {
          ready.countDown();
          go.await();
          return store.createDir();
        }));
      }
      ready.await();
      go.countDown();
      Set<String> ids = new HashSet<>();
      for (Future<String> f : futures) {
        ids.add(f.get());
      }
      assertEquals(threads, ids.size());
      try (Stream<Path> dirs = Files.list(runs)) {
        assertEquals(threads, dirs.count());
      }
      for (String id : ids) {
        assertTrue(id.startsWith("20261127-025120-123-"), id);
        assertTrue(Files.isDirectory(runs.resolve(id).resolve(RunStore.ARTIFACTS)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void collidingIdIsDrawnAgain() throws IOException {
    MutableClock frozen = new MutableClock(T0);
    AtomicInteger draws = new AtomicInteger();
    // Returns 7, 7, 8, 9, ...: the second folder first collides with the first.
    RandomGenerator rigged = () -> {
      int n = draws.getAndIncrement();
      return n < 2 ? 7L : 6L + n;
    };
    RunStore store = new RunStore(runs, frozen, new RunIds(frozen, rigged), (pid, at) -> false);
    String a = store.createDir();
    String b = store.createDir();
    assertTrue(!a.equals(b), a + " " + b);
    assertEquals(3, draws.get(), "the colliding id was drawn again");
    assertTrue(Files.isDirectory(runs.resolve(a)) && Files.isDirectory(runs.resolve(b)));
  }

  @Test
  void storeGivesUpWhenEveryDrawCollides() throws IOException {
    MutableClock frozen = new MutableClock(T0);
    RunStore store = new RunStore(runs, frozen, new RunIds(frozen, () -> 7L), (pid, at) -> false);
    store.createDir();
    assertThrows(IOException.class, store::createDir);
  }

  @Test
  void recordRoundTrip() throws IOException {
    MutableClock clock = new MutableClock(T0);
    RunStore store = new RunStore(runs, clock, new RunIds(clock, new SecureRandom()), (pid, at) -> false);
    String id = store.createDir();
    RunRecord r = fullRecord(id, RunStatus.FINISHED, "h", 4242L)
        .ended(RunStatus.FINISHED, null, T0.plusMillis(61_500), 0);
    store.write(r);
    RunRecord back = store.read(id);
    assertEquals(r, back);
    assertEquals(61.5, back.durationSeconds());
    assertEquals(T0, back.started());
    String json = Files.readString(runs.resolve(id).resolve(RunStore.RUN_JSON));
    assertTrue(json.contains("\"status\" : \"finished\""), json);
    assertTrue(json.contains("\"started\" : \"2026-11-27T02:51:20.123Z\""), json);
    assertEquals(List.of(back), store.list());
  }

  @Test
  void readOfAMissingRunExplains() {
    RunStore store = new RunStore(runs, new MutableClock(T0), new RunIds(new MutableClock(T0), new SecureRandom()),
        (pid, at) -> false);
    ResearchException e = assertThrows(ResearchException.class, () -> store.read("20261127-025120-123-k3f9x2ab"));
    assertTrue(e.getMessage().contains("no such run"), e.getMessage());
    assertThrows(ResearchException.class, () -> store.dir("../etc"));
  }

  @Test
  void reconcileMarksDeadProcessesOfThisHostAsCrashed() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RunStore store = new RunStore(runs, clock, new RunIds(clock, new SecureRandom()), ProcessProbe.system());
    long deadPid = deadPid();
    long livePid = ProcessHandle.current().pid();

    String dead = store.createDir();
    store.write(fullRecord(dead, RunStatus.RUNNING, "h", deadPid, clock.instant()));
    write(runs, dead + "/" + RunStore.METRICS, line(1, "loss", "0.9") + line(2, "loss", "0.5")
        + line(2, "accuracy", "0.75") + "{\"step\":3,\"epoch\":0,\"na");
    clock.advance(Duration.ofMillis(5));
    String otherHost = store.createDir();
    store.write(fullRecord(otherHost, RunStatus.RUNNING, "elsewhere", deadPid, clock.instant()));
    clock.advance(Duration.ofMillis(5));
    String live = store.createDir();
    store.write(fullRecord(live, RunStatus.RUNNING, "h", livePid, clock.instant()));
    clock.advance(Duration.ofMillis(5));
    String done = store.createDir();
    RunRecord finished = fullRecord(done, RunStatus.RUNNING, "h", deadPid, clock.instant())
        .ended(RunStatus.FINISHED, null, clock.instant(), 0);
    store.write(finished);

    List<RunRecord> changed = store.reconcile("h");

    assertEquals(List.of(dead), changed.stream().map(RunRecord::id).toList());
    RunRecord crashed = store.read(dead);
    assertEquals(RunStatus.CRASHED, crashed.status());
    assertTrue(crashed.reason().contains("pid " + deadPid), crashed.reason());
    assertEquals(Map.of("loss", 0.5, "accuracy", 0.75), crashed.finalMetrics());
    assertTrue(crashed.ended() != null && crashed.durationSeconds() != null);
    assertEquals(RunStatus.RUNNING, store.read(otherHost).status());
    assertEquals(RunStatus.RUNNING, store.read(live).status());
    assertEquals(finished, store.read(done));
    assertEquals(List.of(), store.reconcile("h"), "reconcile is idempotent");
  }

  @Test
  void recordThatNeverGotAPidIsCrashedOnlyAfterAWhile() throws IOException {
    MutableClock clock = new MutableClock(T0);
    RunStore store = new RunStore(runs, clock, new RunIds(clock, new SecureRandom()), (pid, at) -> {
      throw new AssertionError("no pid to probe");
    });
    String id = store.createDir();
    store.write(fullRecord(id, RunStatus.RUNNING, "h", null, T0));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(List.of(), store.reconcile("h"));
    clock.advance(RunStore.NEVER_STARTED);
    List<RunRecord> changed = store.reconcile("h");
    assertEquals(1, changed.size());
    assertTrue(changed.get(0).reason().contains("never started"), changed.get(0).reason());
  }

  @Test
  void reconcileLeavesARunWhoseLauncherHoldsTheLiveLock() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RunStore store = new RunStore(runs, clock, new RunIds(clock, new SecureRandom()), ProcessProbe.system());
    String id = store.createDir();
    // The training process has just exited; its launcher, alive, is about to write the end.
    store.write(fullRecord(id, RunStatus.RUNNING, "h", deadPid(), clock.instant()));
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), LockHolder.class.getName(), runs.resolve(id).toString())
        .redirectErrorStream(true).start();
    try {
      assertEquals("held", new BufferedReader(new InputStreamReader(holder.getInputStream(),
          StandardCharsets.UTF_8)).readLine());
      assertEquals(List.of(), store.reconcile("h"), "the launcher holds the lock: status does not touch the run");
      assertEquals(RunStatus.RUNNING, store.read(id).status());
    } finally {
      holder.destroyForcibly().waitFor();
    }
    // Its launcher died with it (Maven killed): the lock is free, and the run is recorded as crashed.
    List<RunRecord> changed = store.reconcile("h");
    assertEquals(List.of(id), changed.stream().map(RunRecord::id).toList());
    assertEquals(RunStatus.CRASHED, store.read(id).status());
    try (Stream<Path> files = Files.list(runs.resolve(id))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().equals(".live.lock")));
    }
  }

  @Test
  void reconcileReadsTheRecordAgainUnderTheLock() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RunStore store = new RunStore(runs, clock, new RunIds(clock, new SecureRandom()), ProcessProbe.system());
    String id = store.createDir();
    RunRecord running = fullRecord(id, RunStatus.RUNNING, "h", deadPid(), clock.instant());
    store.write(running);
    List<RunRecord> listed = store.list();
    // Between status's listing and its reconciling, the launcher wrote the run's end.
    RunRecord finished = running.ended(RunStatus.FINISHED, null, clock.instant(), 0);
    store.write(finished);

    assertEquals(List.of(), store.reconcile("h", listed));
    assertEquals(finished, store.read(id), "a finished run is never overwritten as crashed");
  }

  @Test
  void reconcileInTheLaunchingJvmLeavesItsOwnLiveRun() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RunStore store = new RunStore(runs, clock, new RunIds(clock, new SecureRandom()), ProcessProbe.system());
    String id = store.createDir();
    store.write(fullRecord(id, RunStatus.RUNNING, "h", deadPid(), clock.instant()));
    try (LiveLock held = LiveLock.hold(runs.resolve(id), Duration.ofSeconds(1))) {
      assertEquals(List.of(), store.reconcile("h"));
      assertTrue(LiveLock.tryHold(runs.resolve(id)).isEmpty(), "still held after the reconcile looked at it");
    }
    assertEquals(1, store.reconcile("h").size());
  }

  @Test
  void aRecordThatCannotBeWrittenForAFullDiskDoesNotFailReconcile() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RunStore store = new RunStore(runs, clock, new RunIds(clock, new SecureRandom()), ProcessProbe.system());
    String id = store.createDir();
    store.write(fullRecord(id, RunStatus.RUNNING, "h", deadPid(), clock.instant()));
    RunStore full = store.writingWith((file, record) -> {
      throw new IOException(file + ": No space left on device");
    });

    assertEquals(List.of(), full.reconcile("h"));
    assertEquals(RunStatus.RUNNING, store.read(id).status(), "left for the next call");
    assertEquals(1, store.reconcile("h").size(), "written once there is room");
  }

  @Test
  void theDiskFullExitCodeRecordsACrashWithTheReason() throws Exception {
    MutableClock clock = new MutableClock(T0);
    RunStore store = new RunStore(runs, clock, new RunIds(clock, new SecureRandom()), (pid, at) -> true);
    String id = store.createDir();
    RunRecord done = store.complete(fullRecord(id, RunStatus.RUNNING, "h", 42L), DiskFull.EXIT_CODE);
    assertEquals(RunStatus.CRASHED, done.status());
    assertTrue(done.reason().startsWith("disk full"), done.reason());
    assertTrue(done.status().resumable());
  }

  @Test
  void aRecordCutShortIsNamedOnOneLineAndLeftOut() throws Exception {
    MutableClock clock = new MutableClock(T0);
    RunStore store = new RunStore(runs, clock, new RunIds(clock, new SecureRandom()), (pid, at) -> true);
    String good = store.createDir();
    store.write(fullRecord(good, RunStatus.FINISHED, "h", 1L));
    clock.advance(Duration.ofMillis(5));
    String cut = store.createDir();
    store.write(fullRecord(cut, RunStatus.RUNNING, "h", 2L));
    String json = Files.readString(runs.resolve(cut).resolve(RunStore.RUN_JSON));
    Files.writeString(runs.resolve(cut).resolve(RunStore.RUN_JSON), json.substring(0, json.length() / 3));

    assertEquals(List.of(good), store.list().stream().map(RunRecord::id).toList());
    List<String> lines = store.unreadable();
    assertEquals(1, lines.size(), lines::toString);
    assertTrue(lines.get(0).startsWith("runs/" + cut + "/run.json cannot be read ("), lines.get(0));
    assertTrue(lines.get(0).lines().count() == 1, lines.get(0));
    assertEquals(List.of(), store.reconcile("h"), "reconciling passes over it");
  }

  /** The pid of a process that has exited and been reaped. */
  static long deadPid() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor();
    long pid = p.pid();
    assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    return pid;
  }

  static String line(long step, String name, String value) {
    return "{\"step\":" + step + ",\"epoch\":0,\"name\":\"" + name + "\",\"value\":" + value + ",\"time\":1}\n";
  }

  static RunRecord fullRecord(String id, RunStatus status, String host, Long pid) {
    return fullRecord(id, status, host, pid, T0);
  }

  static RunRecord fullRecord(String id, RunStatus status, String host, Long pid, Instant started) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config.put("main", "x.Train");
    config.putObject("optimizer").put("lr", 0.001).put("name", "adam");
    config.putObject("model").put("hidden", 64).putArray("layers").add(1).add(2);
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("engine", "PyTorch");
    env.put("cpus", 8);
    env.put("gpus", List.of("a", "b"));
    Map<String, Double> finals = new LinkedHashMap<>();
    finals.put("loss", 0.25);
    finals.put("diverged", Double.NaN);
    return new RunRecord(RunRecord.SCHEMA, id, "smoke", "local", status, null, started, null, null, null, host, pid,
        new GitProvenance("0123456789abcdef0123456789abcdef01234567", "main", false, "sha256:ab",
            List.of("src/A.java"), "sample"),
        true, config, "sha256:cd", List.of("experiments/smoke.yaml"), List.of("optimizer.lr=0.001"), "x.Train", 3,
        env, Map.of("mnist", "sha256:ef"), new RunRecord.Launcher("local", List.of("java", "-cp", "a b", "x.Train"),
            "1g", null),
        List.of(new RunRecord.Resume(started.plusSeconds(1), RunStatus.CRASHED, "artifacts/checkpoints/epoch-0001")),
        finals, null, null);
  }
}
