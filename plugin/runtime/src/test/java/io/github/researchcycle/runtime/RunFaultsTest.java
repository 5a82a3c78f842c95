package io.github.researchcycle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.model.Checkpoints;
import io.github.researchcycle.model.DiskFull;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.MetricsReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How a training JVM ends from outside: its launcher killed, SIGTERM or Ctrl-C, a full disk. Real forked JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunFaultsTest {
  @TempDir Path dir;

  private void record() throws Exception {
    Files.writeString(dir.resolve("run.json"), "{\"experiment\":\"test\",\"seed\":3,\"config\":{}}\n");
  }

  private static int lines(Path metrics) {
    try {
      return MetricsReader.read(metrics).size();
    } catch (Exception e) {
      return 0;
    }
  }

  @Test
  void theTrainingJvmEndsWithinFiveSecondsOfItsLauncherBeingKilled() throws Exception {
    endsAfterItsLauncher(false);
  }

  @Test
  void theTrainingJvmEndsWithinFiveSecondsOfItsLauncherBeingKilledWhenNobodyReapsTheLauncher() throws Exception {
    // The launcher's parent never waits for it: killed, it lingers as a zombie, which looks alive.
    endsAfterItsLauncher(true);
  }

  private void endsAfterItsLauncher(boolean zombie) throws Exception {
    record();
    List<String> command = FaultMains.java(dir, FaultMains.Launcher.class, dir.toString());
    if (zombie) {
      String quoted = String.join(" ", command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
      command = List.of("sh", "-c", quoted + " & exec sleep 120");
    }
    Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
    ProcessHandle child;
    boolean ended;
    long killed;
    try {
      String[] pids = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))
          .readLine().trim().split(" ");
      ProcessHandle launcher = ProcessHandle.of(Long.parseLong(pids[0])).orElseThrow();
      child = ProcessHandle.of(Long.parseLong(pids[1])).orElseThrow();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lines(dir.resolve("metrics.jsonl")) == 0 && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertTrue(lines(dir.resolve("metrics.jsonl")) > 0, "the training process is logging");
      launcher.destroyForcibly(); // SIGKILL: no shutdown hook of the launcher runs
      killed = System.nanoTime();
      ended = child.onExit().thenApply(h -> true).completeOnTimeout(false, 5, TimeUnit.SECONDS).get();
      if (!ended) {
        child.destroyForcibly();
      }
    } finally {
      started.destroyForcibly();
    }
    assertTrue(ended, "the training JVM ended within 5 s of its launcher");
    System.out.println("ended " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed) + " ms after its launcher");
    int logged = lines(dir.resolve("metrics.jsonl"));
    assertTrue(Files.readString(dir.resolve("output.log")).contains("is gone: metrics flushed"),
        Files.readString(dir.resolve("output.log")));
    List<MetricLine> all = MetricsReader.read(dir.resolve("metrics.jsonl"));
    assertEquals(logged, all.get(all.size() - 1).step(), "every line up to the end, whole");
  }

  @Test
  void sigtermFinishesTheStepRecordsNothingMoreAndExits143() throws Exception {
    stoppedBy("TERM", 143);
  }

  @Test
  void ctrlCFinishesTheStepRecordsNothingMoreAndExits130() throws Exception {
    stoppedBy("INT", 130);
  }

  private void stoppedBy(String signal, int code) throws Exception {
    record();
    // 25 batches an epoch: the signal comes in the second epoch, after the first checkpoint.
    Process p = new ProcessBuilder(FaultMains.java(dir, FaultMains.SignalledTraining.class, signal, "30"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("output.log").toFile()).start();
    assertTrue(p.waitFor(90, TimeUnit.SECONDS));
    String out = Files.readString(dir.resolve("output.log"));
    assertEquals(code, p.exitValue(), out);
    assertTrue(Files.exists(dir.resolve("step-finished")), "the step in progress was finished: " + out);
    assertFalse(out.contains("trained to the end"), out);
    List<MetricLine> metrics = MetricsReader.read(dir.resolve("metrics.jsonl"));
    assertTrue(metrics.stream().noneMatch(l -> l.name().equals("after_signal")), "nothing recorded after the signal");
    assertEquals(30, metrics.stream().mapToLong(MetricLine::step).max().orElseThrow(), "no step after it");
    assertTrue(metrics.stream().noneMatch(l -> l.epoch() == 1 && l.name().equals("train_loss")), "no epoch end");
    assertEquals("epoch-0001", Checkpoints.latest(dir).orElseThrow().getFileName().toString(),
        "the last checkpoint is whole and none later was begun");
  }

  @Test
  void aFullDiskEndsTheTrainingJvmWithItsOwnExitCode() throws Exception {
    Path full = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full (Linux) to fail writes as a full disk does");
    record();
    Files.createSymbolicLink(dir.resolve("metrics.jsonl"), full);
    Process p = new ProcessBuilder(FaultMains.java(dir, FaultMains.FullDisk.class)).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output.log").toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(dir.resolve("output.log"));
    assertEquals(DiskFull.EXIT_CODE, p.exitValue(), out);
    assertTrue(out.contains("research-runtime: disk full"), out);
    assertFalse(out.contains("logged to the end"), "it ended when the metrics could not be written: " + out);
  }
}
