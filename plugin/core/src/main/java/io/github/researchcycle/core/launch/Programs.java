package io.github.researchcycle.core.launch;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The programs of this machine that a launcher drives ({@code kubectl}, {@code gcloud}, {@code bash}),
 * found on a search path: the system's {@code PATH}, or another one in tests (a fake {@code gcloud}
 * first). Every command gets an argument list, never a shell string.
 */
public final class Programs {
  private final String path;

  private Programs(String path) {
    this.path = path;
  }

  /** This machine's programs, on its {@code PATH}. */
  public static Programs system() {
    String p = System.getenv("PATH");
    return new Programs(p == null ? "/usr/local/bin:/usr/bin:/bin" : p);
  }

  /** The programs found on {@code searchPath} (a {@code PATH}-style list). */
  public static Programs onPath(String searchPath) {
    return new Programs(searchPath);
  }

  /** The search path. */
  public String path() {
    return path;
  }

  /** The executable file of {@code program} on the search path, if there is one. */
  public Optional<Path> find(String program) {
    if (program.contains("/")) {
      Path p = Path.of(program);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * A process builder for {@code command} with this search path as {@code PATH}; the program is
   * looked up here (Java itself would look it up on its own {@code PATH}).
   */
  public ProcessBuilder builder(List<String> command) {
    List<String> resolved = new ArrayList<>(command);
    find(resolved.get(0)).ifPresent(p -> resolved.set(0, p.toString()));
    ProcessBuilder b = new ProcessBuilder(resolved);
    b.environment().put("PATH", path);
    return b;
  }

  /**
   * What a finished command left.
   *
   * @param code its exit code; -1 when it did not end within its time and was stopped
   * @param stdout its standard output
   * @param stderr its standard error
   */
  public record Result(int code, String stdout, String stderr) {
    /** Whether it exited with 0. */
    public boolean ok() {
      return code == 0;
    }

    /** The last non-blank line of its error output (or of its output), for a one-line message. */
    public String lastWords() {
      String text = stderr.isBlank() ? stdout : stderr;
      List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
      return lines.isEmpty() ? (code == -1 ? "no answer in time" : "exit code " + code) : lines.get(lines.size() - 1).trim();
    }
  }

  /**
   * Runs {@code command} to its end (at most {@code timeout}), with no standard input, and returns
   * its exit code and output.
   *
   * @throws IOException when it cannot be started
   */
  public Result run(List<String> command, Path dir, Duration timeout) throws IOException {
    ProcessBuilder b = builder(command);
    if (dir != null) {
      b.directory(dir.toFile());
    }
    Process p = b.start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread o = pump(p.getInputStream(), out);
    Thread e = pump(p.getErrorStream(), err);
    try {
      boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.waitFor(5, TimeUnit.SECONDS);
      }
      o.join(2000);
      e.join(2000);
      return new Result(ended ? p.exitValue() : -1, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      p.destroy();
      return new Result(-1, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  /**
   * Runs {@code command} to its end with its output and error output copied to {@code console} and
   * appended to {@code log} (unless null); returns its exit code (143 when the wait is interrupted,
   * after stopping it).
   *
   * @throws IOException when it cannot be started
   */
  public int stream(List<String> command, Path dir, OutputStream console, Path log) throws IOException {
    ProcessBuilder b = builder(command).redirectErrorStream(true);
    if (dir != null) {
      b.directory(dir.toFile());
    }
    Process p = b.start();
    p.getOutputStream().close();
    try (OutputStream out = log == null ? OutputStream.nullOutputStream()
        : Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      Thread tee = new Thread(new OutputTee(p.getInputStream(), console, out), "research-program-output");
      tee.setDaemon(true);
      tee.start();
      int code = p.waitFor();
      tee.join(5000);
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      return 143;
    }
  }

  private static Thread pump(InputStream in, OutputStream out) {
    Thread t = new Thread(() -> {
      try {
        in.transferTo(out);
      } catch (IOException ex) {
        // The process is gone: what was read is kept.
      }
    }, "research-program-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
