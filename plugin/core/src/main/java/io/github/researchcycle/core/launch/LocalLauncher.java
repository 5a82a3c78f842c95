package io.github.researchcycle.core.launch;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.core.store.LiveLock;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.DiskFull;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code local} target: one training JVM per run on this machine. Several at a time are
 * started by {@code research:run} itself, each record created just before its process starts. The
 * run's {@link LiveLock} is held from the launch until its final record is written; a stop of this
 * JVM is forwarded to the training processes, and no run starts after it.
 */
public final class LocalLauncher implements Launcher {
  /** The launch script kept in each run folder. */
  public static final String SCRIPT = "launch.sh";
  /** How long a training process told to stop (Maven stopped) has to end before it is killed. */
  static final Duration STOP_PATIENCE = Duration.ofSeconds(20);
  /** How long a stop waits for the launch to write the record of a run that has ended. */
  static final Duration RECORD_PATIENCE = Duration.ofSeconds(5);
  /** How long a launch waits for its run's live lock (a status call may hold it for a moment). */
  static final Duration LOCK_PATIENCE = Duration.ofSeconds(30);
  /** How often the final record is tried again on a full disk, one pause apart. */
  static final int DISK_FULL_ATTEMPTS = 10;
  static final Duration DISK_FULL_PAUSE = Duration.ofSeconds(1);

  private final StopForwarding forwarding = new StopForwarding(STOP_PATIENCE);

  @Override
  public List<RunRecord> launch(LaunchContext context, List<RunRecord> runs) throws IOException {
    List<RunRecord> done = new ArrayList<>();
    for (RunRecord run : runs) {
      done.add(execute(context, run, context.reporter().console()));
    }
    return done;
  }

  /** Writes {@code launch.sh} into the run folder; returns the launch details it records. */
  public static RunRecord.Launcher writeScript(LaunchContext context, RunRecord record) throws IOException {
    List<String> command = context.command(record);
    Map<String, String> env = new TreeMap<>(context.profile().envOrEmpty());
    Files.writeString(context.dir(record).resolve(SCRIPT), context.templates().render("launch/local.sh.vm", Map.of(
        "runId", record.id(), "experiment", record.experiment(), "seed", record.seed(), "profile", record.profile(),
        "pluginVersion", String.valueOf(context.pluginVersion()),
        "workDir", context.projectDir().toAbsolutePath().toString(), "envNames", List.copyOf(env.keySet()),
        "env", env, "command", command)));
    return new RunRecord.Launcher("local", command, context.profile().heapOrDefault(), null, null, SCRIPT,
        context.profile().devices(), null);
  }

  /** Whether a stop of this JVM (SIGTERM, Ctrl-C) was forwarded to its runs: no further run may start. */
  public boolean stopping() {
    return forwarding.stopping();
  }

  private RunRecord execute(LaunchContext context, RunRecord record, OutputStream console) throws IOException {
    RunStore store = context.store();
    Path dir = context.dir(record);
    try (LiveLock lock = LiveLock.hold(dir, LOCK_PATIENCE)) {
      RunRecord current = store.find(record.id()).orElse(record);
      if (current.status() != RunStatus.RUNNING) {
        return current; // Ended while it waited for its lock (a status call found it abandoned).
      }
      if (forwarding.stopping()) {
        RunRecord never = record.ended(RunStatus.INTERRUPTED, "never started: Maven was stopped before its launch",
            context.clock().instant(), null);
        return writeFinal(store, never);
      }
      return launchLocked(context, record, console);
    }
  }

  private RunRecord launchLocked(LaunchContext context, RunRecord record, OutputStream console) throws IOException {
    RunStore store = context.store();
    Path dir = context.dir(record);
    RunRecord.Launcher launcher = writeScript(context, record);
    List<String> command = launcher.command();
    Map<String, String> env = new TreeMap<>(context.profile().envOrEmpty());
    Tracked tracked = new Tracked(store);
    int code;
    try {
      code = TrainingProcess.run(withLauncherPid(command), context.projectDir(), env, console,
          dir.resolve(RunStore.OUTPUT_LOG), process -> {
            tracked.started(process, record.launched(process.pid(), launcher));
            if (!forwarding.follow(tracked)) {
              process.toHandle().destroy(); // This JVM is ending: stop the run at its first step.
            }
            store.write(tracked.running);
          });
    } catch (IOException e) {
      forwarding.release(tracked);
      RunRecord running = tracked.running != null ? tracked.running : record.withLauncher(launcher);
      if (DiskFull.causedBy(e)) {
        RunRecord full = tracked.finishAs(running.ended(RunStatus.CRASHED, DiskFull.REASON + ": runs/" + record.id()
            + "/" + RunStore.RUN_JSON + " could not be written (" + e.getMessage() + ")", context.clock().instant(),
            null));
        throw new ResearchException("Run " + record.id() + " stopped: the disk is full (" + e.getMessage() + "). "
            + "Recorded as " + full.status().json() + " in runs/" + record.id() + "/run.json. Fix: free space, then "
            + "continue it with -Dresearch.resume=" + record.id() + ".", e);
      }
      RunRecord failed = running.ended(RunStatus.FAILED, "the training JVM could not be started: " + e.getMessage(),
          context.clock().instant(), null);
      tracked.finishAs(failed);
      throw new ResearchException("Run " + record.id() + " could not start " + command.get(0) + ": " + e.getMessage()
          + ". Recorded as failed in runs/" + record.id() + "/run.json. Fix: check JAVA_HOME.", e);
    } catch (RuntimeException e) {
      forwarding.release(tracked);
      throw e;
    }
    try {
      // Still followed while the end is written: a stop now waits for this record.
      return tracked.finish(code, forwarding.stopping());
    } finally {
      forwarding.release(tracked);
    }
  }

  /** The command as started here: with this JVM's pid, which the training process watches. */
  private static List<String> withLauncherPid(List<String> command) {
    List<String> started = new ArrayList<>(command);
    started.add(1, "-D" + LaunchContext.LAUNCHER_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    return started;
  }

  /**
   * Writes a run's final record. On a full disk it writes the run as crashed with the reason
   * {@value DiskFull#REASON}, trying again while space may be freed; the record is small, and
   * often fits where the metrics did not.
   */
  static RunRecord writeFinal(RunStore store, RunRecord done) throws IOException {
    try {
      store.write(done);
      return done;
    } catch (IOException e) {
      if (!DiskFull.causedBy(e)) {
        throw e;
      }
    }
    RunRecord full = done.status() == RunStatus.CRASHED && done.reason() != null
        && done.reason().startsWith(DiskFull.REASON) ? done
        : done.ended(RunStatus.CRASHED, DiskFull.REASON + ": the run's record could not be written (it had ended "
            + done.status().json() + (done.reason() == null ? "" : ": " + done.reason()) + ")", done.ended(),
            done.exitCode());
    IOException last = null;
    for (int attempt = 0; attempt < DISK_FULL_ATTEMPTS; attempt++) {
      try {
        store.write(full);
        return full;
      } catch (IOException e) {
        last = e;
      }
      try {
        Thread.sleep(DISK_FULL_PAUSE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new ResearchException("runs/" + done.id() + "/" + RunStore.RUN_JSON + " could not be written: the disk is "
        + "full (" + (last == null ? "interrupted" : last.getMessage()) + "). Fix: free space; `mvn research:status`"
        + " then records the run as crashed.", last);
  }

  /** A started training process and the one write of its final record, by the launch or by a stop. */
  private static final class Tracked implements StopForwarding.Live {
    private final RunStore store;
    private volatile Process process;
    private volatile RunRecord running;
    private volatile boolean killed;
    private RunRecord done;

    Tracked(RunStore store) {
      this.store = store;
    }

    void started(Process newProcess, RunRecord launched) {
      this.process = newProcess;
      this.running = launched;
    }

    /** Writes the end of a process that exited with {@code code}, unless it is written already. */
    synchronized RunRecord finish(int code, boolean stopped) throws IOException {
      if (done != null) {
        return done;
      }
      RunRecord r = store.complete(running, code);
      if (stopped && r.status() != RunStatus.FINISHED && !r.reason().startsWith(DiskFull.REASON)) {
        r = r.ended(RunStatus.INTERRUPTED, "Maven was stopped (SIGTERM or Ctrl-C)" + (killed
            ? "; the training process did not stop within " + STOP_PATIENCE.toSeconds() + " s and was killed"
            : "; the training process finished its step and exited") + ". Continue it with -Dresearch.resume="
            + r.id(), r.ended(), r.exitCode());
      }
      return finishAs(r);
    }

    /** Writes {@code r} as the end, unless an end is written already. */
    synchronized RunRecord finishAs(RunRecord r) throws IOException {
      if (done != null) {
        return done;
      }
      try {
        done = writeFinal(store, r);
      } finally {
        if (done == null) {
          done = r; // Tried: the stop does not try again.
        }
        notifyAll();
      }
      return done;
    }

    @Override
    public void stop() {
      Process p = process;
      if (p != null) {
        // SIGTERM through the handle: Process.destroy would also close the output still to be copied.
        p.toHandle().destroy();
      }
    }

    @Override
    public void awaitEnd(long deadlineNanos) {
      Process p = process;
      if (p == null) {
        return;
      }
      try {
        if (!p.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          killed = true;
          p.destroyForcibly();
          p.waitFor(2, TimeUnit.SECONDS);
        }
        long until = System.nanoTime() + RECORD_PATIENCE.toNanos();
        synchronized (this) {
          while (done == null && System.nanoTime() < until) {
            wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
          }
        }
        if (p.isAlive()) {
          return;
        }
        finish(killed ? 137 : p.exitValue(), true);
      } catch (IOException | InterruptedException | RuntimeException e) {
        // The JVM is ending: the next research:run or research:status records the run.
      }
    }
  }
}
