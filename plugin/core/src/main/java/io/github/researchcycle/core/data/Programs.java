package io.github.researchcycle.core.data;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds and runs the external programs of the package sources (apt-get, dpkg-deb, npm, tar). */
final class Programs {
  private Programs() {}

  /** The result of a program: exit code and its output (stdout and stderr together). */
  record Result(int code, String output) {
    /** The last lines of the output, for messages. */
    String tail() {
      List<String> lines = output.strip().lines().toList();
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
    }
  }

  /** The program on the PATH, if any. */
  static Optional<Path> find(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
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

  /** Whether the program is on the PATH. */
  static boolean present(String program) {
    return find(program).isPresent();
  }

  /** Fails with what to install when {@code program} is absent. */
  static void require(String program, String why, String install) throws SourceException {
    if (!present(program)) {
      throw new SourceException(program + " is not installed (or not on the PATH), and " + why + " needs it. Fix: "
          + install + ", or add a `url` or `file` source to the manifest.");
    }
  }

  /** Runs a command in {@code dir}, capturing its output; waits at most 30 minutes. */
  static Result run(List<String> command, Path dir, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    // Output to a file, not a pipe: reading a pipe to its end would block past the time limit.
    Path log = Files.createTempFile(dir, ".out", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out;
    try {
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new SourceException(String.join(" ", command) + " did not finish within 30 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SourceException("interrupted while running " + String.join(" ", command), e);
    } finally {
      out = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
      Files.deleteIfExists(log);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** Whether this process runs as root (apt-get update needs it). */
  static boolean root() {
    try {
      Result r = run(List.of("id", "-u"), Path.of(System.getProperty("java.io.tmpdir")), Map.of());
      return r.code() == 0 && r.output().strip().equals("0");
    } catch (IOException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
