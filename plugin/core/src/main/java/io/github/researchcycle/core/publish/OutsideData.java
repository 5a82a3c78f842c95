package io.github.researchcycle.core.publish;

import io.github.researchcycle.core.data.DataManifest;
import io.github.researchcycle.core.data.DataManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Data sets whose {@code file:} source lies outside the research repository: a reader's clone or
 * bundle cannot fetch them. Publishing warns about them, notes them in the writeup and results.json,
 * and writes their manifest into the bundle without the user's folder (or, with
 * {@code -Dresearch.bundle.data=true} and a redistributable licence, with the files themselves).
 */
final class OutsideData {
  /** The licences whose data a bundle may carry (prefixes, compared without case; spaces read as dashes). */
  static final List<String> REDISTRIBUTABLE = List.of("CC-BY", "CC0", "MIT", "BSD", "APACHE-2.0", "ODBL");

  /** What a bundle's manifest names instead of a folder outside the repository. */
  static final String OUTSIDE = "outside-the-repository";

  /**
   * One data set read from outside the repository.
   *
   * @param name the data set
   * @param path the {@code file:} source as the manifest writes it
   * @param folder where it resolves
   * @param licence the manifest's licence, or null
   * @param files the manifest's file names
   */
  record Finding(String name, String path, Path folder, String licence, List<String> files) {
    /** The manifest's path inside the repository, for messages. */
    String manifest() {
      return DataManifests.FOLDER + "/" + name + ".yaml";
    }

    /** The sentence that the writeup and results.json carry (never the folder itself). */
    String note() {
      return "Data set `" + name + "` is read from a folder outside the repository (" + manifest() + "), so the "
          + "repository alone does not reproduce this result: a reader needs the files that " + manifest()
          + " lists with their sha256, or a bundle that carries them.";
    }
  }

  private OutsideData() {}

  /** The data sets of {@code root} with a file source outside it, sorted by name. */
  static List<Finding> find(Path root) {
    Path base = root.toAbsolutePath().normalize();
    List<Finding> out = new ArrayList<>();
    for (String name : DataManifests.names(root)) {
      DataManifest m = DataManifests.load(root, name);
      for (DataManifest.Source s : m.sourcesOrEmpty()) {
        if (s.file() == null || s.file().path() == null) {
          continue;
        }
        Path p = Path.of(s.file().path());
        Path folder = (p.isAbsolute() ? p : base.resolve(p)).toAbsolutePath().normalize();
        if (!folder.startsWith(base)) {
          List<String> files = m.files() == null ? List.of()
              : m.files().stream().map(DataManifest.FileEntry::name).toList();
          out.add(new Finding(name, s.file().path(), folder, m.licence(), files));
        }
      }
    }
    return out;
  }

  /** Whether data under {@code licence} may be copied into a bundle. */
  static boolean redistributable(String licence) {
    if (licence == null || licence.isBlank()) {
      return false;
    }
    String l = licence.trim().toUpperCase(Locale.ROOT).replace(' ', '-');
    return REDISTRIBUTABLE.stream().anyMatch(l::startsWith);
  }

  /** The allow-list in words, for messages. */
  static String allowList() {
    return "CC-BY*, CC0*, MIT, BSD*, Apache-2.0, ODbL*";
  }

  /**
   * The bundle's files for the findings: each manifest with its outside folder replaced (by the
   * bundled copy's folder {@code data/NAME}, or by {@value #OUTSIDE}), and, when {@code bundleData}
   * and the licence allows, the data files under {@code data/NAME/}. Warns through {@code warn}.
   *
   * @return zip path to file on disk, to add to the bundle
   */
  static Map<String, Path> bundleFiles(Path root, List<Finding> findings, boolean bundleData, Path staging,
      List<String> warn) throws IOException {
    Map<String, Path> extra = new TreeMap<>();
    for (Finding f : findings) {
      boolean copy = false;
      if (bundleData) {
        List<String> missing = f.files().stream().filter(n -> !Files.isRegularFile(DataManifests.sourceFile(f.folder(), n))).toList();
        if (!redistributable(f.licence())) {
          warn.add("data set `" + f.name() + "` is not put in the bundle: its licence "
              + (f.licence() == null || f.licence().isBlank() ? "is not stated" : "`" + f.licence() + "` is not one")
              + " that research:publish knows to allow redistribution (" + allowList() + "). Fix: state such a "
              + "licence in " + f.manifest() + " if it has one, or give readers a url source");
        } else if (f.files().isEmpty() || !missing.isEmpty()) {
          warn.add("data set `" + f.name() + "` is not put in the bundle: " + (f.files().isEmpty()
              ? f.manifest() + " lists no files" : "its folder lacks " + String.join(", ", missing))
              + ". Fix: mvn research:data, then publish again");
        } else {
          copy = true;
        }
      }
      String relative = DataManifests.FOLDER + "/" + f.name();
      if (copy) {
        for (String n : f.files()) {
          extra.put(relative + "/" + n, DataManifests.sourceFile(f.folder(), n));
        }
      }
      Path manifest = staging.resolve("manifest-" + f.name() + ".yaml");
      String text = Files.readString(DataManifests.file(root, f.name()), StandardCharsets.UTF_8);
      Files.writeString(manifest, rewritten(text, f.path(), copy ? relative : OUTSIDE, copy), StandardCharsets.UTF_8);
      extra.put(f.manifest(), manifest);
    }
    return extra;
  }

  /** The manifest's text with the folder replaced and a comment saying why; the user's folder appears nowhere. */
  static String rewritten(String text, String path, String replacement, boolean bundled) {
    String comment = bundled
        ? "# research:publish: the files of this data set were in a folder outside the repository; this bundle\n"
            + "# carries them in " + replacement + "/ (the licence allows redistribution).\n"
        : "# research:publish: the files of this data set were in a folder outside the repository, which this\n"
            + "# bundle does not carry: put the files listed below (checked by sha256) in " + replacement + "/.\n";
    return comment + text.replace(path, replacement);
  }
}
