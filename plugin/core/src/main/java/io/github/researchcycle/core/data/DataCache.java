package io.github.researchcycle.core.data;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The data cache shared by research repositories: {@code ROOT/NAME/} holds a data set's files,
 * {@code ROOT/NAME.lock} serialises fetches of it (across threads and processes).
 */
public final class DataCache {
  /** The system property that moves the cache. */
  public static final String PROPERTY = "research.data.cache";
  /** The environment variable that moves the cache. */
  public static final String ENV = "RESEARCH_DATA_CACHE";

  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path root;

  /** A cache at {@code root}. */
  public DataCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * The cache's location: {@code explicit} when given, else the system property
   * {@value #PROPERTY}, else the environment variable {@value #ENV}, else
   * {@code ~/.cache/research-cycle/data}.
   */
  public static Path locate(String explicit) {
    for (String candidate : new String[] {explicit, System.getProperty(PROPERTY), System.getenv(ENV)}) {
      if (candidate != null && !candidate.isBlank()) {
        return Path.of(candidate.trim()).toAbsolutePath().normalize();
      }
    }
    return Path.of(System.getProperty("user.home"), ".cache", "research-cycle", "data");
  }

  /** The cache at its default location (see {@link #locate}). */
  public static DataCache located(String explicit) {
    return new DataCache(locate(explicit));
  }

  /** The cache's root folder. */
  public Path root() {
    return root;
  }

  /** The folder of data set {@code name}. */
  public Path dir(String name) {
    return root.resolve(name);
  }

  /** The lock file of data set {@code name}. */
  public Path lockFile(String name) {
    return root.resolve(name + ".lock");
  }

  /** A held lock; closing releases it. */
  public interface Lock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /**
   * Takes the lock of data set {@code name}, waiting for other threads and processes that hold it;
   * {@code waiting} hears once when the lock is busy.
   */
  public Lock lock(String name, Consumer<String> waiting) throws IOException {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new ResearchException("Cannot create the data cache " + root + " (" + e
          + "). Fix: make it writable, or choose another folder with -D" + PROPERTY + "=DIR or " + ENV + "=DIR.", e);
    }
    Path file = lockFile(name);
    // FileLock is per process: threads of one JVM queue on a lock of their own first.
    ReentrantLock local = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    if (!local.tryLock()) {
      waiting.accept("Another fetch of data set " + name + " is running in this JVM; waiting for it.");
      local.lock();
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock held = channel.tryLock();
      if (held == null) {
        waiting.accept("Another process is fetching data set " + name + " (lock " + file + "); waiting for it.");
        held = channel.lock();
      }
      FileChannel c = channel;
      FileLock h = held;
      return () -> {
        try {
          h.release();
          c.close();
        } finally {
          local.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      local.unlock();
      throw e;
    }
  }
}
