package io.github.researchcycle.runtime;

import io.github.researchcycle.model.DiskFull;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a training process started by {@code research:run} ends when told to from outside: on
 * SIGTERM or Ctrl-C the step in progress (or the checkpoint being written) finishes, nothing more
 * is recorded, and it exits with 143 or 130; when its launching process is gone (Maven killed) it
 * flushes its metrics and exits at once; on a full disk it exits with {@link DiskFull#EXIT_CODE}.
 */
final class Interruption {
  /** Exit code of SIGTERM (128 + 15). */
  static final int SIGTERM_EXIT = 143;
  /** Exit code of SIGINT, Ctrl-C (128 + 2). */
  static final int SIGINT_EXIT = 130;
  /** Exit code when the launching process is gone (128 + SIGHUP): nobody reads it. */
  static final int LAUNCHER_GONE_EXIT = 129;
  /** How long a stopped run may take to finish its step before the process exits anyway. */
  static final Duration GRACE = Duration.ofSeconds(15);
  /** How often the launching process is checked. */
  static final Duration WATCH_INTERVAL = Duration.ofMillis(200);
  /** The metrics file is checked every this many looks at the launching process (once a second). */
  static final int CHECK_EVERY = 5;

  private final AtomicInteger code = new AtomicInteger();
  private final PrintStream err;

  Interruption(PrintStream err) {
    this.err = err;
  }

  /** Whether a stop was asked (a signal): nothing more is recorded from then on. */
  boolean requested() {
    return code.get() != 0;
  }

  /** Asks the run to stop at the end of its step with {@code exitCode}; only the first request counts. */
  void request(int exitCode, String why) {
    if (!code.compareAndSet(0, exitCode)) {
      return;
    }
    err.println("research-runtime: " + why + ": finishing the current step, recording nothing more, then exiting");
    Thread fallback = new Thread(() -> {
      sleep(GRACE);
      err.println("research-runtime: the step did not end within " + GRACE.toSeconds() + " s; exiting now");
      exit(exitCode);
    }, "research-stop-fallback");
    fallback.setDaemon(true);
    fallback.start();
  }

  /** Ends the process here when a stop was asked: called between steps and after checkpoints. */
  void exitIfRequested() {
    int c = code.get();
    if (c != 0) {
      exit(c);
    }
  }

  /** Ends the process on a full disk, saying so. */
  void diskFull(Throwable error) {
    err.println("research-runtime: " + DiskFull.REASON + ": " + error.getMessage());
    exit(DiskFull.EXIT_CODE);
  }

  /** Stops on SIGTERM and SIGINT at the end of the step, instead of at once. */
  @SuppressWarnings("restriction")
  void installSignalHandlers() {
    handle("TERM", SIGTERM_EXIT, "SIGTERM");
    handle("INT", SIGINT_EXIT, "SIGINT (Ctrl-C)");
  }

  @SuppressWarnings("restriction")
  private void handle(String signal, int exitCode, String name) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> request(exitCode, name));
    } catch (IllegalArgumentException e) {
      // The JVM keeps this signal (-Xrs): it then ends the process at once, as it always did.
    }
  }

  /**
   * Watches, on a daemon thread, the launching process {@code launcherPid} (when not null): once
   * it is gone the process exits; and runs {@code check} once a second (a metrics flush, which ends
   * the run on a full disk).
   */
  void watch(Long launcherPid, Runnable check) {
    Optional<Instant> launcherStart = launcherPid == null ? Optional.empty()
        : ProcessHandle.of(launcherPid).flatMap(h -> h.info().startInstant());
    // A killed parent may linger as a zombie that looks alive; its children are handed to another
    // parent the moment it dies, so a launcher that was the parent is gone once it no longer is.
    boolean parent = launcherPid != null && parentPid() == launcherPid;
    Thread watcher = new Thread(() -> {
      for (long tick = 1; ; tick++) {
        if (launcherPid != null && (parent ? parentPid() != launcherPid : !alive(launcherPid, launcherStart))) {
          err.println("research-runtime: the launching process (pid " + launcherPid + ") is gone: metrics flushed, "
              + "exiting");
          exit(LAUNCHER_GONE_EXIT);
          return;
        }
        if (tick % CHECK_EVERY == 0) {
          check.run();
        }
        sleep(WATCH_INTERVAL);
      }
    }, "research-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static long parentPid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }

  /** Whether {@code pid} is still the process that started at {@code start} (a reused pid is not). */
  private static boolean alive(long pid, Optional<Instant> start) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .map(h -> start.isEmpty() || h.info().startInstant().map(start.get()::equals).orElse(true))
        .orElse(false);
  }

  /** Exits through the shutdown hooks (the metrics are flushed there), halting if they hang. */
  private static void exit(int exitCode) {
    Thread halt = new Thread(() -> {
      sleep(Duration.ofSeconds(3));
      Runtime.getRuntime().halt(exitCode);
    }, "research-halt");
    halt.setDaemon(true);
    halt.start();
    System.exit(exitCode);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
