package io.github.researchcycle.e2e;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a real process (mvn, git) in a folder, with a timeout, capturing stdout and stderr
 * together. A process that outlives its timeout is killed with all its descendants.
 */
final class Cmd {
  /** The default timeout of one command: generous, a hung build must still end the test. */
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");

  private Cmd() {}

  /** What a finished command left: its exit code and its console. */
  record Result(List<String> command, Path dir, int exitCode, String output, Duration took) {
    /** The command, where it ran, how it ended and its whole console: for assertion messages. */
    String describe() {
      return "$ " + String.join(" ", command) + "\n(in " + dir + ": exit " + exitCode + " after "
          + seconds(took) + ")\n" + output;
    }

    /** The console lines. */
    List<String> lines() {
      return output.lines().toList();
    }
  }

  /** A command started in the background. */
  static final class Running {
    private final List<String> command;
    private final Path dir;
    private final Process process;
    private final StringBuffer output;
    private final Thread pump;
    private final long startNanos;

    private Running(List<String> command, Path dir, Process process, StringBuffer output, Thread pump, long start) {
      this.command = command;
      this.dir = dir;
      this.process = process;
      this.output = output;
      this.pump = pump;
      this.startNanos = start;
    }

    boolean isAlive() {
      return process.isAlive();
    }

    /** The console so far. */
    String outputSoFar() {
      return strip(output.toString());
    }

    /** Waits for the end; kills the process tree and fails when it takes longer than {@code timeout}. */
    Result await(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          killTree();
          pump.join(5000);
          throw new AssertionError("timed out after " + seconds(timeout) + " (process tree killed): $ "
              + String.join(" ", command) + "\n(in " + dir + ")\n" + outputSoFar());
        }
        pump.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        killTree();
        throw new AssertionError("interrupted while waiting for " + String.join(" ", command), e);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
      Result r = new Result(command, dir, process.exitValue(), outputSoFar(), took);
      System.out.printf(Locale.ROOT, "[e2e] %6s  exit %3d  %s%n", seconds(took), r.exitCode(), shortCommand(command));
      return r;
    }

    /** Kills this process and everything it started (only what this helper started). */
    void killTree() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /** Runs {@code command} in {@code dir} and waits for it (at most {@link #TIMEOUT}). */
  static Result run(Path dir, List<String> command) {
    return start(dir, command).await(TIMEOUT);
  }

  /** Runs {@code command} in {@code dir} and waits for it. */
  static Result run(Path dir, String... command) {
    return run(dir, List.of(command));
  }

  /** Starts {@code command} in {@code dir}; its console is collected while it runs. */
  static Running start(Path dir, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command + " in " + dir, e);
    }
    StringBuffer output = new StringBuffer();
    Thread pump = new Thread(() -> pump(process.getInputStream(), output), "e2e-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    return new Running(List.copyOf(command), dir, process, output, pump, start);
  }

  /** {@code mvn -B [-Dmaven.repo.local=…] args…}: Maven from PATH, on the local repository of the build. */
  static List<String> mvn(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("mvn");
    cmd.add("-B");
    String repo = System.getProperty("maven.repo.local");
    if (repo != null && !repo.isBlank()) {
      cmd.add("-Dmaven.repo.local=" + repo);
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** {@code git -c user.name=t -c user.email=t@example.org args…}. */
  static List<String> git(String... args) {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.org",
        "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String shortCommand(List<String> command) {
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < command.size(); i++) {
      String a = command.get(i);
      if (a.equals("-c") && i + 1 < command.size() && command.get(0).equals("git")) {
        i++; // git's identity options: the same on every call
      } else if (!a.startsWith("-Dmaven.repo.local=")) {
        shown.add(a);
      }
    }
    return String.join(" ", shown);
  }

  private static String strip(String s) {
    return ANSI.matcher(s).replaceAll("");
  }

  private static void pump(InputStream in, StringBuffer out) {
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      char[] buf = new char[8192];
      int n;
      while ((n = r.read(buf)) >= 0) {
        out.append(buf, 0, n);
      }
    } catch (IOException e) {
      out.append("\n[e2e: output stream closed: ").append(e.getMessage()).append("]\n");
    }
  }
}
