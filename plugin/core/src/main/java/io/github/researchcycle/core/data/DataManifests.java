package io.github.researchcycle.core.data;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.DidYouMean;
import io.github.researchcycle.core.config.YamlFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads and checks the manifests under {@code data/} of a research repository. */
public final class DataManifests {
  /** The folder of the manifests, in the research repository. */
  public static final String FOLDER = "data";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private DataManifests() {}

  /**
   * Where a {@code file:} source keeps file {@code name}: the source itself when it is that one
   * file, else inside the source's folder.
   */
  public static Path sourceFile(Path source, String name) {
    return Files.isRegularFile(source) && source.getFileName().toString().equals(name) ? source : source.resolve(name);
  }

  /** The manifest file of data set {@code name}. */
  public static Path file(Path root, String name) {
    return root.resolve(FOLDER).resolve(name + ".yaml");
  }

  /** Whether the research repository has a manifest for {@code name}. */
  public static boolean exists(Path root, String name) {
    return NAME.matcher(name).matches() && Files.isRegularFile(file(root, name));
  }

  /** The names of all data sets, sorted. */
  public static List<String> names(Path root) {
    Path dir = root.resolve(FOLDER);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads and checks the manifest of {@code name}; an unknown name is refused with a hint. */
  public static DataManifest load(Path root, String name) {
    if (!exists(root, name)) {
      List<String> known = names(root);
      throw new ResearchException("No data set `" + name + "`: " + YamlFiles.display(root, file(root, name))
          + " does not exist" + DidYouMean.hint(name, known) + ". Known data sets: "
          + (known.isEmpty() ? "none" : String.join(", ", known)) + ".");
    }
    return load(root, file(root, name));
  }

  /** Loads and checks a manifest file. */
  public static DataManifest load(Path root, Path file) {
    DataManifest m = YamlFiles.read(root, file, DataManifest.class);
    String fileName = file.getFileName().toString();
    String expectedName = fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - 5) : fileName;
    require(root, file, m.name() != null && !m.name().isBlank(), "name",
        "`name` is missing. Fix: add `name: " + expectedName + "`");
    require(root, file, m.name().equals(expectedName), "name",
        "`name: " + m.name() + "` differs from the file name. Fix: `name: " + expectedName + "` (or rename the file)");
    require(root, file, m.licence() != null && !m.licence().isBlank(), "licence",
        "`licence` is missing. Fix: state the data's licence, for example `licence: 'CC BY 4.0'`");
    require(root, file, m.format() != null, "format",
        "`format` is missing. Fix: `format: idx`, `format: csv` or `format: generated`");
    if (m.generated()) {
      require(root, file, m.sourcesOrEmpty().isEmpty() && m.filesOrEmpty().isEmpty(), "sources",
          "a `generated` data set has no `sources` and no `files`. Fix: remove them, or set another format");
      ManifestChecks.check(root, file, m);
      return m;
    }
    require(root, file, !m.sourcesOrEmpty().isEmpty(), "sources",
        "`sources` is missing. Fix: add at least one of `url`, `file`, `deb` or `npm`");
    require(root, file, !m.filesOrEmpty().isEmpty(), "files",
        "`files` is missing. Fix: list every file with `name`, `size` and `sha256`");
    for (int i = 0; i < m.sources().size(); i++) {
      checkSource(root, file, "sources[" + i + "]", m.sources().get(i));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < m.files().size(); i++) {
      DataManifest.FileEntry f = m.files().get(i);
      String at = "files[" + i + "]";
      require(root, file, f != null && f.name() != null && NAME.matcher(f.name()).matches(), at + ".name",
          "`" + at + ".name` must be a plain file name (no folders, not starting with a dot), found `"
              + (f == null ? null : f.name()) + "`");
      require(root, file, seen.add(f.name()), at + ".name", "file `" + f.name() + "` is listed twice");
      require(root, file, f.size() != null && f.size() >= 0, at + ".size",
          "`" + at + ".size` (" + f.name() + ") must be the file's size in bytes. Fix: ls -l the file, or "
              + "take the size from the source");
      require(root, file, f.sha256() != null && SHA256.matcher(f.sha256()).matches(), at + ".sha256",
          "`" + at + ".sha256` (" + f.name() + ") must be 64 lowercase hex digits, found `" + f.sha256()
              + "`. Fix: sha256sum the file");
    }
    ManifestChecks.check(root, file, m);
    return m;
  }

  /** Loads every manifest of the repository. */
  public static List<DataManifest> loadAll(Path root) {
    List<DataManifest> all = new ArrayList<>();
    for (String name : names(root)) {
      all.add(load(root, name));
    }
    return all;
  }

  private static void checkSource(Path root, Path file, String at, DataManifest.Source s) {
    require(root, file, s != null && s.kinds() == 1, s != null && s.kinds() > 0 ? at + "." + s.kind() : "sources",
        "each source has exactly one of `url`, `file`, `deb` or `npm`, found "
            + (s == null ? "none" : s.kinds()) + ". Fix: write one source per list item");
    switch (s.kind()) {
      case "url" -> {
        String base = s.url().base();
        require(root, file, base != null && !base.isBlank(), at + ".url", "`" + at + ".url.base` is missing");
        URI uri;
        try {
          uri = URI.create(base);
        } catch (IllegalArgumentException e) {
          uri = null;
        }
        require(root, file, uri != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
            && uri.getHost() != null, at + ".url", "`" + at + ".url.base` must be an http or https URL, found `"
            + base + "`");
      }
      case "file" -> require(root, file, s.file().path() != null && !s.file().path().isBlank(), at + ".file",
          "`" + at + ".file.path` is missing");
      default -> {
        DataManifest.PackageSource p = s.deb() != null ? s.deb() : s.npm();
        String kind = s.kind();
        require(root, file, p.pkg() != null && !p.pkg().isBlank() && p.version() != null && !p.version().isBlank()
            && p.path() != null, at + "." + kind, "`" + at + "." + kind + "` needs `package`, `version` and "
            + "`path` (the folder inside the package)");
        require(root, file, !p.path().contains("..") && !p.path().startsWith("/"), at + "." + kind,
            "`" + at + "." + kind + ".path` must be a relative path inside the package, found `" + p.path() + "`");
      }
    }
  }

  static void require(Path root, Path file, boolean ok, String key, String problem) {
    if (!ok) {
      throw new ResearchException(YamlFiles.at(root, file, key) + ": " + problem + ".");
    }
  }
}
