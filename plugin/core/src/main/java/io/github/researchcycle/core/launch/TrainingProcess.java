package io.github.researchcycle.core.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/** Starts a training JVM, copies its console to the user and to {@code output.log}, and waits. */
public final class TrainingProcess {
  private TrainingProcess() {}

  /** Called once the process has started, before waiting for it (to record its pid). */
  @FunctionalInterface
  public interface Started {
    /** The process is running. */
    void started(Process process) throws IOException;
  }

  /**
   * Runs {@code command} in {@code workDir} with extra environment variables; returns the exit
   * code. An interrupted wait stops the process (SIGTERM) and returns 143.
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
      int code = process.waitFor();
      tee.join(5000);
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
      return 143;
    } catch (IOException | RuntimeException e) {
      process.destroy();
      throw e;
    }
  }
}
