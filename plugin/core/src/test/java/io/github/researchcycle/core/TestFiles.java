package io.github.researchcycle.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;

/** Small helpers shared by the tests: files, git repositories, polling. */
public final class TestFiles {
  private TestFiles() {}

  /** Writes {@code text} to {@code root/rel}, creating parent folders. */
  public static Path write(Path root, String rel, String text) {
    try {
      Path file = root.resolve(rel);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new git repository in {@code dir} (no commit). */
  public static Git init(Path dir) throws GitAPIException {
    return Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
  }

  /** Stages everything and commits it with a fixed author; returns the commit. */
  public static RevCommit commitAll(Git git, String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    return git.commit().setMessage(message).setAuthor("Test Author", "author@example.com")
        .setCommitter("Test Author", "author@example.com").setSign(false).call();
  }

  /** Polls {@code condition} every few milliseconds until it holds or {@code timeoutMillis} pass. */
  public static boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }
}
