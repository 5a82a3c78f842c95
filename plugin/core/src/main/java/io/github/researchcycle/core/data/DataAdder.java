package io.github.researchcycle.core.data;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.config.YamlFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code mvn research:data -Dresearch.data.add=FILE}: reads a local CSV file (raw or gzip) and
 * writes {@code data/NAME.yaml} for it, with its size, sha256, columns, types and class counts, and
 * a comment on every key saying what reads it and what values it takes.
 */
public final class DataAdder {
  /** The seed recorded for the carved splits. */
  static final long SEED = 42;
  /** The licence written until the user states it; research:publish reads it. */
  public static final String UNKNOWN_LICENCE = "unknown: fill in before publishing";

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final Pattern RESERVED = Pattern.compile("(?i)true|false|yes|no|on|off|null|y|n");
  private static final int COMMENT_COLUMN = 40;

  private DataAdder() {}

  /**
   * What to add.
   *
   * @param file the CSV file, absolute or relative to the research repository
   * @param name the data set's name; null: the file's base name, sanitised
   * @param label the label column, a header name or an index (-1 the last); null: the last column
   * @param force whether an existing manifest of that name is overwritten
   */
  public record Request(String file, String name, String label, boolean force) {}

  /**
   * What was written.
   *
   * @param manifest the manifest file
   * @param data the manifest as the checks read it back
   * @param profile what was found in the file
   * @param warnings what the user should not miss (an absolute path)
   */
  public record Added(Path manifest, DataManifest data, CsvProfile profile, List<String> warnings) {
    /** What was written, as printed. */
    public String summary() {
      DataManifest.Column label = profile.labelColumn();
      return "Wrote " + DataManifests.FOLDER + "/" + data.name() + ".yaml: " + profile.rows() + " rows, "
          + profile.columns().size() + " columns, label `" + (label.name() != null ? label.name()
              : "column " + profile.label()) + "` (" + (profile.categorical() ? label.classes().size() + " classes"
                  : "a numeric target") + "), sha256 " + data.files().get(0).sha256().substring(0, 12) + "…";
    }

    /** The next step, as printed. */
    public String nextStep() {
      return "Next: set `" + DataService.CONFIG_KEY + ": " + data.name() + "` in experiments/baseline.yaml; then "
          + "`mvn research:run -Dresearch.experiment=smoke`. State the licence and citation in "
          + DataManifests.FOLDER + "/" + data.name() + ".yaml before you publish.";
    }
  }

  /** Reads the file and writes its manifest; refuses (writing nothing) in one line naming the file and the fix. */
  public static Added add(Path root, Request request) throws IOException {
    if (request.file() == null || request.file().isBlank()) {
      throw new ResearchException("-Dresearch.data.add needs a file. Fix: -Dresearch.data.add=path/to/file.csv.");
    }
    Path given = Path.of(request.file().strip());
    Path file = (given.isAbsolute() ? given : root.resolve(given)).toAbsolutePath().normalize();
    if (Files.isDirectory(file)) {
      throw new ResearchException(file + " is a folder. Fix: -Dresearch.data.add=FILE names one CSV file (raw or "
          + ".gz); a folder of images is not supported yet.");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ResearchException(file + ": no such readable file. Fix: -Dresearch.data.add=path/to/file.csv "
          + "(relative to " + root.toAbsolutePath().normalize() + ", or absolute).");
    }
    String fileName = file.getFileName().toString();
    String name = request.name() == null || request.name().isBlank() ? nameOf(fileName) : request.name().strip();
    if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new ResearchException("-Dresearch.data.name=" + name + ": a data set's name is lowercase letters, digits, "
          + "`.`, `_` and `-`. Fix: -Dresearch.data.name=" + nameOf(name) + ".");
    }
    Path target = DataManifests.file(root, name);
    if (Files.exists(target) && !request.force()) {
      throw new ResearchException(YamlFiles.display(root, target) + " exists already. Fix: choose another name "
          + "(-Dresearch.data.name=NAME), or overwrite it with -Dresearch.data.force=true.");
    }
    if (Files.size(file) == 0) {
      throw new ResearchException(file + ": the file is empty. Fix: point -Dresearch.data.add at a CSV file with "
          + "one row per example.");
    }
    CsvProfile profile = CsvProfile.of(file, request.label());
    Path absRoot = root.toAbsolutePath().normalize();
    boolean inside = file.startsWith(absRoot);
    String path = inside ? absRoot.relativize(file).toString().replace('\\', '/') : file.toString();
    List<String> warnings = new ArrayList<>();
    if (!inside) {
      warnings.add(YamlFiles.display(root, target) + ": the source is " + file + ", outside the repository, so a "
          + "reader elsewhere cannot fetch it. Fix: copy it under " + DataManifests.FOLDER + "/ and add it again "
          + "from there (with -Dresearch.data.force=true), or name a url, deb or npm source.");
    }
    String text = render(name, fileName, path, Files.size(file), Hashes.sha256(file), profile, warnings);
    Files.createDirectories(target.getParent());
    Files.writeString(target, text);
    DataManifest data;
    try {
      data = DataManifests.load(root, target);
    } catch (ResearchException e) {
      Files.deleteIfExists(target);
      throw e;
    }
    return new Added(target, data, profile, List.copyOf(warnings));
  }

  /** A file's base name as a data set's name: without {@code .gz} and the extension, lowercase, sanitised. */
  static String nameOf(String fileName) {
    String base = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
    int dot = base.lastIndexOf('.');
    if (dot > 0) {
      base = base.substring(0, dot);
    }
    String n = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "")
        .replaceAll("-+$", "");
    return n.isEmpty() ? "data" : n;
  }

  private static String render(String name, String fileName, String path, long size, String sha256, CsvProfile p,
      List<String> warnings) {
    List<String> y = new ArrayList<>();
    y.add("# Data set " + name + ", written by mvn research:data -Dresearch.data.add=" + path + ".");
    y.add("# Each key's comment says what reads it; README.md, \"Data manifests\", lists them all.");
    line(y, "name: " + name, "this file's name; an experiment trains on it with `data.name: " + name + "`");
    DataManifest.Column label = p.labelColumn();
    line(y, "description: " + quoted(fileName + ": " + p.rows() + " rows, " + p.columns().size() + " columns"
        + (p.categorical() ? ", " + label.classes().size() + " classes" : ", a numeric target")),
        "shown by research:data; say what the data is");
    line(y, "licence: " + quoted(UNKNOWN_LICENCE), "printed after a fetch; state it before publishing");
    line(y, "citation: " + quoted(UNKNOWN_LICENCE), "printed after a fetch: how to cite the data");
    line(y, "format: csv", "the runtime's loader: idx | csv | generated");
    for (String w : warnings) {
      y.add("# WARNING: " + w);
    }
    line(y, "sources:", "where the files are fetched from into the cache, in order");
    line(y, "  - file: {path: " + quoted(path) + "}", "a file or a folder: relative to the repository, or absolute");
    line(y, "files:", "checked (size, sha256) before a run trains on them");
    line(y, "  - {name: " + plain(fileName) + ", size: " + size + ", sha256: " + sha256 + "}", null);
    line(y, "csv:", "how the runtime's CSV loader reads the file");
    line(y, "  header: " + p.header(), "true: names the columns | false: no header | sklearn");
    line(y, "  label: " + (p.header().equals("true") ? plain(label.name()) : String.valueOf(
        p.label() == p.columns().size() - 1 ? -1 : p.label())), "the label column: a header name, or an index (-1 = last)");
    line(y, "  categorical: " + p.categorical(), "true: the label is a class | false: a numeric target");
    line(y, "  delimiter: " + (p.delimiter() == '\t' ? "\"\\t\"" : "'" + p.delimiter() + "'"), "',' | ';' | \"\\t\"");
    line(y, "columns:", "as found; checked against the file's header when it is verified");
    for (int i = 0; i < p.columns().size(); i++) {
      DataManifest.Column c = p.columns().get(i);
      StringBuilder b = new StringBuilder("  - {");
      if (c.name() != null) {
        b.append("name: ").append(plain(c.name())).append(", ");
      }
      b.append("type: ").append(c.type().yaml());
      if (c.classes() != null) {
        b.append(", classes: {").append(c.classes().entrySet().stream()
            .map(e -> plain(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", "))).append('}');
      }
      line(y, b.append('}').toString(), i == p.label() ? "the label" + (c.classes() != null
          ? "; classes with their counts, numbered 0..k-1 in this order" : "")
          : i == 0 ? "type: number | integer | category" : null);
    }
    line(y, "splits:", "the runtime's train, validation and test rows");
    line(y, "  train: {file: " + plain(fileName) + "}", "a file of `files`");
    boolean stratify = p.categorical();
    line(y, "  test: {from: train, fraction: 0.2, seed: " + SEED + ", stratify: " + stratify + "}",
        "carved from train: fraction in (0,1), a recorded seed");
    line(y, "  validation: {from: train, fraction: 0.1, seed: " + SEED + ", stratify: " + stratify + "}",
        "or `folds: {k: 5, seed: " + SEED + ", stratify: " + stratify + "}` instead");
    return String.join("\n", y) + "\n";
  }

  private static void line(List<String> y, String text, String comment) {
    if (comment == null) {
      y.add(text);
      return;
    }
    y.add(text + " ".repeat(Math.max(1, COMMENT_COLUMN - text.length())) + "# " + comment);
  }

  /** A YAML scalar: plain when it reads back as the same text, else single-quoted. */
  static String plain(String s) {
    return PLAIN.matcher(s).matches() && !RESERVED.matcher(s).matches() ? s : quoted(s);
  }

  private static String quoted(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
