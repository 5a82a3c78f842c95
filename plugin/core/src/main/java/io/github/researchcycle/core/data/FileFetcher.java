package io.github.researchcycle.core.data;

import io.github.researchcycle.core.run.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The {@code file} source: a copy from a local folder that holds the files, or of the one file itself. */
final class FileFetcher implements Fetcher {
  private final Path path;

  FileFetcher(Path projectRoot, DataManifest.FileSource source) {
    Path p = Path.of(source.path());
    this.path = (p.isAbsolute() ? p : projectRoot.resolve(p)).toAbsolutePath().normalize();
  }

  @Override
  public void fetch(DataManifest.FileEntry file, Path part, Reporter reporter) throws IOException {
    if (Files.isRegularFile(path) && !path.getFileName().toString().equals(file.name())) {
      throw new SourceException(path + " is a single file, not " + file.name() + " (a file source that names a "
          + "file delivers only the file of that name; name the folder that holds " + file.name() + " instead)");
    }
    Path from = DataManifests.sourceFile(path, file.name());
    if (!Files.isRegularFile(from)) {
      throw new SourceException("no file " + from);
    }
    Files.copy(from, part, StandardCopyOption.REPLACE_EXISTING);
  }
}
