package io.github.researchcycle.core.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code data/NAME.yaml}: a data set's origin, licence, files with their size and sha256, and splits.
 *
 * @param name the data set's name, the file's name without {@code .yaml}
 * @param description what the data is
 * @param licence the data's licence, printed after every fetch
 * @param citation how to cite the data, printed after every fetch
 * @param format {@code idx}, {@code csv} or {@code generated} (synthetic: no sources, no files)
 * @param sources where the files come from, tried in order (mirrors)
 * @param files every file with its size in bytes and sha256
 * @param splits train, validation and test (a file, or a fraction carved from another split with a
 *     seed) and k folds, as the loaders read them (checked by {@link DataManifests})
 * @param csv options of the CSV loader: header, label, categorical, delimiter (checked by
 *     {@link DataManifests})
 * @param columns the columns of a CSV data set as {@code research:data} found them, checked against
 *     the file's header whenever the data is verified
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataManifest(
    String name,
    String description,
    String licence,
    String citation,
    Format format,
    List<Source> sources,
    List<FileEntry> files,
    ObjectNode splits,
    ObjectNode csv,
    List<Column> columns) {

  /** The file formats the loaders know. */
  public enum Format {
    /** MNIST's IDX files, raw or gzip. */
    @JsonProperty("idx")
    IDX,
    /** Comma- (or otherwise) separated values, raw or gzip. */
    @JsonProperty("csv")
    CSV,
    /** Synthetic data made by the loader from the seed: nothing to fetch. */
    @JsonProperty("generated")
    GENERATED;

    /** The spelling of the manifest. */
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One place the files can be fetched from; exactly one of the four is set.
   *
   * @param url a web folder: a file's URL is {@code base} + its name
   * @param file a local folder or single file (relative to the research repository, or absolute)
   * @param deb a Debian package (fetched with {@code apt-get download}, extracted with {@code dpkg-deb -x})
   * @param npm an npm package (fetched with {@code npm pack}, extracted)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(UrlSource url, FileSource file, PackageSource deb, PackageSource npm) {
    /** The kind of source: url, file, deb or npm (the first one set). */
    public String kind() {
      return url != null ? "url" : file != null ? "file" : deb != null ? "deb" : npm != null ? "npm" : "none";
    }

    /** How many kinds are set (exactly one is valid). */
    int kinds() {
      return (url != null ? 1 : 0) + (file != null ? 1 : 0) + (deb != null ? 1 : 0) + (npm != null ? 1 : 0);
    }

    /** The source in words, for messages. */
    public String describe() {
      return switch (kind()) {
        case "url" -> "url " + url.base();
        case "file" -> "file " + file.path();
        case "deb" -> "deb " + deb.pkg() + "=" + deb.version() + " (" + deb.path() + ")";
        case "npm" -> "npm " + npm.pkg() + "@" + npm.version() + " (" + npm.path() + ")";
        default -> "an empty source";
      };
    }
  }

  /**
   * A web folder.
   *
   * @param base the folder's URL, http or https; a file's URL is {@code base} + its name
   */
  public record UrlSource(String base) {}

  /**
   * A local folder that holds the files, or the one file itself.
   *
   * @param path the folder or file, absolute or relative to the research repository
   */
  public record FileSource(String path) {}

  /**
   * A package of a package manager.
   *
   * @param pkg the package's name
   * @param version its exact version
   * @param path the folder inside the package that holds the files
   */
  public record PackageSource(@JsonProperty("package") String pkg, String version, String path) {}

  /**
   * One file of the data set.
   *
   * @param name the file's name (no folders)
   * @param size its size in bytes
   * @param sha256 its sha256, 64 lowercase hex digits
   */
  public record FileEntry(String name, Long size, String sha256) {}

  /** What a column holds, as inferred from every value of the file. */
  public enum ColumnType {
    /** Every value is a decimal number. */
    @JsonProperty("number")
    NUMBER,
    /** Every value is a whole number. */
    @JsonProperty("integer")
    INTEGER,
    /** Anything else: the values are names (of classes). */
    @JsonProperty("category")
    CATEGORY;

    /** The spelling of the manifest. */
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One column of a CSV data set.
   *
   * @param name the column's name in the header line (absent when the file has no header line)
   * @param type number, integer or category
   * @param classes for the label column of a classification: each class with its count of rows,
   *     in the order the loader numbers them 0..k-1
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Column(String name, ColumnType type, Map<String, Long> classes) {}

  /** The columns, never null. */
  public List<Column> columnsOrEmpty() {
    return columns == null ? List.of() : columns;
  }

  /** The files, never null. */
  public List<FileEntry> filesOrEmpty() {
    return files == null ? List.of() : files;
  }

  /** The sources, never null. */
  public List<Source> sourcesOrEmpty() {
    return sources == null ? List.of() : sources;
  }

  /** Whether the data is synthetic (nothing to fetch, always verified). */
  public boolean generated() {
    return format == Format.GENERATED;
  }

  /** The total size of the files in bytes. */
  public long totalSize() {
    return filesOrEmpty().stream().mapToLong(f -> f.size() == null ? 0 : f.size()).sum();
  }

  /**
   * The data set's hash, as recorded in {@code run.json}: {@code sha256:} of the lines
   * {@code name:sha256}, one per file, sorted by name, each ending with a newline.
   */
  public String hash() {
    StringBuilder text = new StringBuilder();
    filesOrEmpty().stream().sorted(Comparator.comparing(FileEntry::name))
        .forEach(f -> text.append(f.name()).append(':').append(f.sha256()).append('\n'));
    return "sha256:" + Hashes.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
