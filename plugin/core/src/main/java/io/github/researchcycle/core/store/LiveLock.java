package io.github.researchcycle.core.store;

import io.github.researchcycle.model.RunFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock on {@code runs/ID/.live.lock}: the launching process holds it from the launch
 * until the run's final record is written, and only a process that can take it may mark the run
 * crashed. The operating system drops it when its holder dies, however it dies.
 */
public final class LiveLock implements AutoCloseable {
  /**
   * The lock files this JVM holds. A file lock belongs to the whole process, and closing any other
   * channel on the same file would drop it, so a second holder in this JVM never opens the file.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private LiveLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of the run in {@code runDir}. */
  public static Path file(Path runDir) {
    return runDir.resolve(RunFiles.LIVE_LOCK);
  }

  /** Takes the lock of the run in {@code runDir} if no process (this one included) holds it. */
  public static Optional<LiveLock> tryHold(Path runDir) throws IOException {
    Path file = file(runDir).toAbsolutePath().normalize();
    if (!HELD.add(file)) {
      return Optional.empty();
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return Optional.of(new LiveLock(file, channel, lock));
      }
    } catch (OverlappingFileLockException e) {
      // Held in this JVM through a path that normalizes differently: held all the same.
    } catch (IOException | RuntimeException e) {
      HELD.remove(file);
      if (channel != null) {
        channel.close();
      }
      throw e;
    }
    HELD.remove(file);
    channel.close();
    return Optional.empty();
  }

  /**
   * Takes the lock of the run in {@code runDir}, waiting while another process holds it for a
   * moment (a status call checking the run).
   *
   * @throws IOException when it is still held after {@code patience}
   */
  public static LiveLock hold(Path runDir, Duration patience) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      Optional<LiveLock> lock = tryHold(runDir);
      if (lock.isPresent()) {
        return lock.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(file(runDir) + " is held by another process: is the run being launched twice?");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + file(runDir), e);
      }
    }
  }

  /** Releases the lock; the file stays (removing it would race with a process about to lock it). */
  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } finally {
      HELD.remove(file);
    }
  }
}
