package io.github.researchcycle.core.launch;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies of a project's compiled classes that runs launch from, so that another
 * {@code research:run} compiling into {@code target/classes} at the same time cannot change the
 * classes under a starting run. A copy is taken once the folder has been quiet for a moment and is
 * the same before, during and after the copy; it lives in {@code target/research-classes/HASH},
 * keyed by the content's sha256, and appears there by an atomic rename.
 */
public final class ClassSnapshots {
  /** The folder, beside {@code target/classes}, that holds the copies. */
  public static final String FOLDER = "research-classes";
  /** How long the classes must be unchanged before they are copied (a compile writes in bursts). */
  static final Duration QUIET = Duration.ofSeconds(1);
  /** A folder changed this recently may still be filled by a compile: a missing main class is waited for. */
  static final Duration SETTLING = Duration.ofSeconds(10);
  /** How long to wait for a folder that keeps changing. */
  static final Duration PATIENCE = Duration.ofMinutes(2);

  /**
   * Snapshots judged quiet by the system clock: file times come from it, whatever clock the
   * caller keeps for its records.
   */
  public ClassSnapshots() {}

  /**
   * The classpath with every folder inside {@code projectDir} replaced by a stable copy of it.
   *
   * @param mainClass the class the run starts: a folder that lacks it while it is still changing is
   *     waited for
   */
  public List<Path> snapshot(Path projectDir, List<Path> classpath, String mainClass) throws IOException {
    Path project = projectDir.toAbsolutePath().normalize();
    Path store = project.resolve("target").resolve(FOLDER);
    String entry = mainClass.replace('.', '/') + ".class";
    List<Path> out = new ArrayList<>();
    for (Path element : classpath) {
      Path abs = element.toAbsolutePath().normalize();
      boolean ours = Files.isDirectory(abs) && abs.startsWith(project) && !abs.startsWith(store);
      out.add(ours ? copy(abs, store, entry) : element);
    }
    return out;
  }

  private Path copy(Path dir, Path store, String mainEntry) throws IOException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Tree before;
      try {
        before = Tree.of(dir);
      } catch (NoSuchFileException e) {
        before = null; // A compile is rewriting the folder: look again.
      }
      Instant now = Instant.now();
      if (before == null) {
        if (System.nanoTime() > deadline) {
          return dir;
        }
        pause(dir);
        continue;
      }
      boolean quiet = before.newest().plus(QUIET).isBefore(now);
      boolean settled = before.newest().plus(SETTLING).isBefore(now);
      boolean hasMain = before.files().contains(mainEntry);
      if (quiet && (hasMain || settled)) {
        Path snapshot = store.resolve(before.hash().substring(0, 32));
        if (Files.isDirectory(snapshot)) {
          return snapshot;
        }
        Files.createDirectories(store);
        Path tmp = Files.createTempDirectory(store, ".copy-");
        try {
          for (String file : before.files()) {
            Path to = tmp.resolve(file);
            Files.createDirectories(to.getParent());
            Files.copy(dir.resolve(file), to);
          }
          if (Tree.of(tmp).hash().equals(before.hash()) && Tree.of(dir).hash().equals(before.hash())) {
            try {
              Files.move(tmp, snapshot, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
              // Another launch made the same copy first (the folder exists, not empty): that one is used.
            }
            if (Files.isDirectory(snapshot)) {
              return snapshot;
            }
          }
        } catch (NoSuchFileException e) {
          // A file went away during the copy: the folder is being rewritten; look again.
        } finally {
          deleteTree(tmp);
        }
      }
      if (System.nanoTime() > deadline) {
        return dir; // Changing for minutes on end: launch from it as it is.
      }
      pause(dir);
    }
  }

  private static void pause(Path dir) throws IOException {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + dir + " to settle", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * A folder's files (relative, sorted, with '/'), the sha256 of their names and contents, and the
   * newest modification of a file or folder in it (a deletion touches its folder).
   */
  private record Tree(List<String> files, String hash, Instant newest) {
    static Tree of(Path dir) throws IOException {
      MessageDigest digest;
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      List<String> files = new ArrayList<>();
      Instant newest = Instant.EPOCH;
      List<Path> all;
      try (Stream<Path> walk = Files.walk(dir)) {
        all = walk.sorted().toList();
      } catch (UncheckedIOException e) {
        throw new NoSuchFileException(dir + " changed while it was read: " + e.getMessage());
      }
      for (Path p : all) {
        Instant modified = Files.getLastModifiedTime(p).toInstant();
        newest = modified.isAfter(newest) ? modified : newest;
        if (Files.isRegularFile(p)) {
          String rel = dir.relativize(p).toString().replace(File.separatorChar, '/');
          files.add(rel);
          digest.update(rel.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
          digest.update(Files.readAllBytes(p));
          digest.update((byte) 0);
        }
      }
      return new Tree(List.copyOf(files), HexFormat.of().formatHex(digest.digest()), newest);
    }
  }
}
