package io.github.researchcycle.core.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

/** Starts a training JVM, copies its console to the user and to {@code output.log}, and waits. */
public final class TrainingProcess {
  /** How long an interrupted wait still waits for the stopped process to end. */
  static final Duration STOP_WAIT = Duration.ofSeconds(20);

  private TrainingProcess() {}

  /** Called once the process has started, before waiting for it (to record its pid). */
  @FunctionalInterface
  public interface Started {
    /** The process is running. */
    void started(Process process) throws IOException;
  }

  /**
   * After an interrupted wait (the launching JVM is ending): stops the process (SIGTERM), waits
   * for it to finish its step and for its last lines to reach the log, keeps the interrupt, and
   * returns its exit code (143 when it did not end in time).
   */
  private static int stopped(Process process, Thread tee) {
    // Through the handle: Process.destroy would also close the output still to be copied.
    process.toHandle().destroy();
    int code = 143;
    try {
      if (process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        code = process.exitValue();
        tee.join(5000);
      }
    } catch (InterruptedException again) {
      // Interrupted twice: give the answer there is.
    }
    Thread.currentThread().interrupt();
    return code;
  }

  /**
   * Runs {@code command} in {@code workDir} with extra environment variables; returns the exit
   * code. An interrupted wait stops the process (SIGTERM) and waits for it (at most
   * {@link #STOP_WAIT}); it returns 143 when it did not end.
   *
   * @throws IOException when the process cannot be started
   */
  public static int run(List<String> command, Path workDir, Map<String, String> env, OutputStream console, Path log,
      Started started) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      Thread tee = new Thread(new OutputTee(process.getInputStream(), console, out), "research-run-output");
      tee.setDaemon(true);
      tee.start();
      started.started(process);
      try {
        int code = process.waitFor();
        tee.join(5000);
        return code;
      } catch (InterruptedException e) {
        return stopped(process, tee);
      }
    } catch (IOException | RuntimeException e) {
      process.destroy();
      throw e;
    }
  }
}
