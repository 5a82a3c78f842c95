package io.github.researchcycle.core.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.researchcycle.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code NAME/.research-verified.json} in the cache: the size, mtime and sha256 of each file as
 * found by the last full check, so that a later check may trust a file whose size and mtime are
 * unchanged without reading it (the fast path).
 *
 * @param files by file name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Stamp(Map<String, Entry> files) {
  /** The stamp's file name, in the data set's cache folder. */
  public static final String FILE = ".research-verified.json";

  /**
   * What a full check found.
   *
   * @param size bytes
   * @param mtime last modification, in milliseconds since the epoch
   * @param sha256 the content's sha256
   */
  public record Entry(long size, long mtime, String sha256) {}

  /** The stamp of a cache folder; empty when absent or unreadable. */
  public static Stamp read(Path dir) {
    Path file = dir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      try {
        Stamp s = Json.mapper().readValue(file.toFile(), Stamp.class);
        if (s.files() != null) {
          return new Stamp(new TreeMap<>(s.files()));
        }
      } catch (IOException e) {
        // An unreadable stamp trusts nothing: the files are hashed again.
      }
    }
    return new Stamp(new TreeMap<>());
  }

  /** Writes the stamp, atomically. */
  public void write(Path dir) throws IOException {
    Json.writeAtomically(dir.resolve(FILE), this);
  }

  /** Records that {@code file} was hashed in full now. */
  public void put(Path file, String sha256) throws IOException {
    files.put(file.getFileName().toString(),
        new Entry(Files.size(file), Files.getLastModifiedTime(file).toMillis(), sha256));
  }

  /** Whether the fast path may trust {@code file} to have {@code sha256}: same size, mtime and hash. */
  public boolean trusts(Path file, long expectedSize, String sha256) throws IOException {
    Entry e = files.get(file.getFileName().toString());
    return e != null && e.sha256().equals(sha256) && e.size() == expectedSize && Files.size(file) == e.size()
        && Files.getLastModifiedTime(file).toMillis() == e.mtime();
  }
}
