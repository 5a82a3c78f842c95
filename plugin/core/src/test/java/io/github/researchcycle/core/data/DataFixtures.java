package io.github.researchcycle.core.data;

import io.github.researchcycle.core.CapturingReporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Files with known content and the manifests that describe them. */
final class DataFixtures {
  private DataFixtures() {}

  /** Deterministic bytes. */
  static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A manifest with one source (YAML text of the source item, such as "url: {base: 'http://...'}"). */
  static String manifest(String name, String source, Map<String, byte[]> files) {
    StringBuilder y = new StringBuilder();
    y.append("name: ").append(name).append('\n')
        .append("description: 'test data'\n")
        .append("licence: 'CC0-1.0'\n")
        .append("citation: 'A. Tester. Bytes. 2026.'\n")
        .append("format: csv\n")
        .append("sources:\n");
    for (String s : source.split("\n")) {
      y.append("  - ").append(s).append('\n');
    }
    y.append("files:\n");
    files.forEach((n, b) -> y.append("  - {name: ").append(n).append(", size: ").append(b.length)
        .append(", sha256: ").append(Hashes.sha256(b)).append("}\n"));
    y.append("splits:\n  train: {file: ").append(files.keySet().iterator().next()).append("}\n");
    return y.toString();
  }

  /** Two files, 300 KB and 5 KB. */
  static Map<String, byte[]> twoFiles() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("train.csv", bytes(300_000, 1));
    files.put("test.csv", bytes(5_000, 2));
    return files;
  }

  /** Writes a manifest under {@code root/data/NAME.yaml}. */
  static Path writeManifest(Path root, String name, String text) {
    try {
      Path file = root.resolve("data").resolve(name + ".yaml");
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tests' reporter. */
  static final class Lines extends CapturingReporter {}
}
