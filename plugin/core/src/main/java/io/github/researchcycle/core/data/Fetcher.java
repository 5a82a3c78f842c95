package io.github.researchcycle.core.data;

import io.github.researchcycle.core.run.Reporter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/** Delivers files of one source into temporary files of the cache; closing removes its work folder. */
interface Fetcher extends Closeable {
  /**
   * Writes the content of {@code file} to {@code part}, a temporary file next to the final one (a
   * partial {@code part} left by an interrupted download may be resumed).
   */
  void fetch(DataManifest.FileEntry file, Path part, Reporter reporter) throws IOException;

  @Override
  default void close() throws IOException {}
}
