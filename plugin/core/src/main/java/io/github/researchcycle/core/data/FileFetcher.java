package io.github.researchcycle.core.data;

import io.github.researchcycle.core.run.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The {@code file} source: a copy from a local folder. */
final class FileFetcher implements Fetcher {
  private final Path folder;

  FileFetcher(Path projectRoot, DataManifest.FileSource source) {
    Path p = Path.of(source.path());
    this.folder = (p.isAbsolute() ? p : projectRoot.resolve(p)).toAbsolutePath().normalize();
  }

  @Override
  public void fetch(DataManifest.FileEntry file, Path part, Reporter reporter) throws IOException {
    Path from = folder.resolve(file.name());
    if (!Files.isRegularFile(from)) {
      throw new SourceException("no file " + from);
    }
    Files.copy(from, part, StandardCopyOption.REPLACE_EXISTING);
  }
}
