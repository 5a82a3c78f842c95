package io.github.researchcycle.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** research:data -Dresearch.data.add: a local CSV file gets a manifest that the checks and the cache accept. */
class DataAdderTest {
  @TempDir Path root;
  @TempDir Path elsewhere;

  static final String IRIS = """
      sepal_length,sepal_width,petal_length,petal_width,species
      5.1,3.5,1.4,0.2,setosa
      4.9,3.0,1.4,0.2,setosa
      7.0,3.2,4.7,1.4,versicolor
      6.4,3.2,4.5,1.5,versicolor
      6.9,3.1,4.9,1.5,versicolor
      6.3,3.3,6.0,2.5,virginica
      """;

  Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  DataAdder.Added add(String file, String name, String label, boolean force) throws IOException {
    return DataAdder.add(root, new DataAdder.Request(file, name, label, force));
  }

  ResearchException refused(String file, String name, String label) {
    return assertThrows(ResearchException.class, () -> add(file, name, label, false));
  }

  @Test
  void irisWithAHeaderGetsColumnsTypesClassesSizeAndHash() throws IOException {
    Path csv = write(root, "data/raw/iris.csv", IRIS);
    DataAdder.Added added = add("data/raw/iris.csv", null, null, false);
    assertEquals(root.resolve("data/iris.yaml"), added.manifest());
    DataManifest m = DataManifests.load(root, "iris");
    assertEquals(DataManifest.Format.CSV, m.format());
    assertEquals("data/raw/iris.csv", m.sources().get(0).file().path());
    assertEquals(new DataManifest.FileEntry("iris.csv", Files.size(csv), Hashes.sha256(csv)), m.files().get(0));
    assertTrue(m.csv().get("header").asBoolean());
    assertEquals("species", m.csv().get("label").asText());
    assertTrue(m.csv().get("categorical").asBoolean());
    assertEquals(",", m.csv().get("delimiter").asText());
    assertEquals(5, m.columns().size());
    assertEquals(new DataManifest.Column("sepal_length", DataManifest.ColumnType.NUMBER, null), m.columns().get(0));
    assertEquals(Map.of("setosa", 2L, "versicolor", 3L, "virginica", 1L), m.columns().get(4).classes());
    assertEquals(List.of("setosa", "versicolor", "virginica"), List.copyOf(m.columns().get(4).classes().keySet()));
    assertEquals(DataManifest.ColumnType.CATEGORY, m.columns().get(4).type());
    assertEquals("train", m.splits().at("/test/from").asText());
    assertEquals(0.2, m.splits().at("/test/fraction").asDouble());
    assertEquals(42, m.splits().at("/validation/seed").asInt());
    assertTrue(m.splits().at("/validation/stratify").asBoolean());
    assertEquals("unknown: fill in before publishing", m.licence());
    assertTrue(added.warnings().isEmpty());
    assertTrue(added.nextStep().contains("`data.name: iris` in experiments/baseline.yaml"), added.nextStep());
    assertTrue(added.nextStep().contains("mvn research:run -Dresearch.experiment=smoke"), added.nextStep());
  }

  @Test
  void everyKeyOfTheWrittenManifestHasAComment() throws IOException {
    write(root, "data/raw/iris.csv", IRIS);
    add("data/raw/iris.csv", null, null, false);
    List<String> lines = Files.readAllLines(root.resolve("data/iris.yaml"));
    for (String line : lines) {
      boolean key = line.matches("\\s*[a-z]+:.*");
      if (key) {
        assertTrue(line.contains("# "), "a comment on: " + line);
      }
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("format: csv") && l.contains("idx | csv | generated")));
  }

  @Test
  void theWrittenManifestFetchesIntoTheCacheAndItsColumnsAreChecked() throws IOException {
    write(root, "data/raw/iris.csv", IRIS);
    add("data/raw/iris.csv", null, null, false);
    DataService service = new DataService(root, new DataCache(root.resolve("cache")), Duration.ofMillis(5));
    DataManifest m = DataManifests.load(root, "iris");
    service.fetch(m, new DataFixtures.Lines());
    assertEquals(1, service.verify(m, true, new DataFixtures.Lines()).hashed());
    assertEquals(DataService.State.VERIFIED, service.status(m).state());
  }

  @Test
  void semicolonsAndTabsAreSniffed() throws IOException {
    write(root, "a.csv", IRIS.replace(',', ';'));
    write(root, "b.tsv", IRIS.replace(',', '\t'));
    assertEquals(";", add("a.csv", null, null, false).data().csv().get("delimiter").asText());
    DataManifest b = add("b.tsv", null, null, false).data();
    assertEquals("\t", b.csv().get("delimiter").asText());
    assertEquals(5, b.columns().size());
    assertEquals("species", b.columns().get(4).name());
  }

  @Test
  void gzipWithoutHeaderCountsIntegerClassesOfTheLastColumn() throws IOException {
    Path gz = root.resolve("data/digits.csv.gz");
    Files.createDirectories(gz.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("0,16,3,1\n4,12,0,0\n1,1,1,1\n2,0,5,2\n".getBytes(StandardCharsets.UTF_8));
    }
    DataManifest m = add("data/digits.csv.gz", null, null, false).data();
    assertEquals("digits", m.name());
    assertFalse(m.csv().get("header").asBoolean());
    assertEquals(-1, m.csv().get("label").asInt());
    assertNull(m.columns().get(0).name());
    assertEquals(DataManifest.ColumnType.INTEGER, m.columns().get(0).type());
    assertEquals(List.of("0", "1", "2"), List.copyOf(m.columns().get(3).classes().keySet()));
    assertEquals(2L, m.columns().get(3).classes().get("1"));
    assertEquals("digits.csv.gz", m.files().get(0).name());
  }

  @Test
  void aByteOrderMarkAndWindowsLineEndsAreRead() throws IOException {
    write(root, "iris.csv", "\uFEFF" + IRIS.replace("\n", "\r\n"));
    DataManifest m = add("iris.csv", null, null, false).data();
    assertEquals("sepal_length", m.columns().get(0).name());
    assertEquals(DataManifest.ColumnType.NUMBER, m.columns().get(0).type());
    assertEquals(3L, m.columns().get(4).classes().get("versicolor"));
  }

  @Test
  void withoutAHeaderTheFirstValueIsANumberDespiteAByteOrderMark() throws IOException {
    write(root, "plain.csv", "\uFEFF1.5,0\n2.5,1\n3.5,0\n");
    DataManifest m = add("plain.csv", null, null, false).data();
    assertFalse(m.csv().get("header").asBoolean());
    assertEquals(DataManifest.ColumnType.NUMBER, m.columns().get(0).type());
  }

  @Test
  void sklearnHeaderLineIsRecognised() throws IOException {
    write(root, "iris.csv", "3,2,setosa,versicolor\n5.1,3.5,0\n4.9,3.0,0\n7.0,3.2,1\n");
    DataManifest m = add("iris.csv", null, null, false).data();
    assertEquals("sklearn", m.csv().get("header").asText());
    assertEquals(3, m.columns().size());
    assertEquals(Map.of("0", 2L, "1", 1L), m.columns().get(2).classes());
  }

  @Test
  void numericTargetIsNotCategoricalAndIsNotStratified() throws IOException {
    write(root, "prices.csv", "rooms,area,price\n3,70.5,210000.5\n2,50,150000.25\n4,90,330000.75\n");
    DataManifest m = add("prices.csv", null, null, false).data();
    assertFalse(m.csv().get("categorical").asBoolean());
    assertNull(m.columns().get(2).classes());
    assertEquals(DataManifest.ColumnType.NUMBER, m.columns().get(2).type());
    assertEquals(DataManifest.ColumnType.INTEGER, m.columns().get(0).type());
    assertFalse(m.splits().at("/test/stratify").asBoolean());
  }

  @Test
  void labelByNameOrIndexAndAGivenName() throws IOException {
    write(root, "iris.csv", IRIS);
    DataManifest byName = add("iris.csv", "flowers", "sepal_width", false).data();
    assertEquals("flowers", byName.name());
    assertEquals("sepal_width", byName.csv().get("label").asText());
    assertFalse(byName.csv().get("categorical").asBoolean(), "decimals are a numeric target");
    assertEquals(DataManifest.ColumnType.NUMBER, byName.columns().get(1).type());
    DataManifest byIndex = add("iris.csv", "first", "0", false).data();
    assertEquals("sepal_length", byIndex.csv().get("label").asText(), "with a header, the label is written by name");
  }

  @Test
  void fileOutsideTheRepositoryGetsAnAbsolutePathAndAWarning() throws IOException {
    Path csv = write(elsewhere, "iris.csv", IRIS);
    DataAdder.Added added = add(csv.toString(), null, null, false);
    assertEquals(csv.toAbsolutePath().normalize().toString(), added.data().sources().get(0).file().path());
    assertEquals(1, added.warnings().size());
    assertTrue(added.warnings().get(0).contains("a reader elsewhere cannot fetch it"), added.warnings().get(0));
    assertTrue(Files.readString(added.manifest()).contains("# WARNING: "), "the warning is in the manifest too");
  }

  @Test
  void refusesAnExistingManifestUnlessForced() throws IOException {
    write(root, "iris.csv", IRIS);
    add("iris.csv", null, null, false);
    Files.writeString(root.resolve("iris.csv"), IRIS + "5.0,3.0,1.0,0.1,setosa\n");
    ResearchException e = refused("iris.csv", null, null);
    assertTrue(e.getMessage().startsWith("data/iris.yaml exists already."), e.getMessage());
    assertTrue(e.getMessage().contains("-Dresearch.data.force=true"), e.getMessage());
    assertEquals(3L, DataManifests.load(root, "iris").columns().get(4).classes().get("versicolor"));
    assertEquals(3L, add("iris.csv", null, null, true).data().columns().get(4).classes().get("setosa"));
  }

  @Test
  void refusesAMissingOrEmptyFileWritingNothing() throws IOException {
    assertTrue(refused("nope.csv", null, null).getMessage().contains("no such readable file"));
    write(root, "empty.csv", "");
    assertTrue(refused("empty.csv", null, null).getMessage().contains("empty.csv: the file is empty"));
    write(root, "blank.csv", "\n\n");
    assertTrue(refused("blank.csv", null, null).getMessage().contains("the file is empty"));
    write(root, "header.csv", "a,b,c\n");
    assertTrue(refused("header.csv", null, null).getMessage().contains("a header but no rows"));
    Files.createDirectories(root.resolve("images/cat"));
    assertTrue(refused("images", null, null).getMessage().contains("is a folder. Fix: -Dresearch.data.add=FILE"));
    assertFalse(Files.exists(root.resolve("data")), "nothing written");
  }

  @Test
  void refusesALabelNotInTheHeader() throws IOException {
    write(root, "iris.csv", IRIS);
    ResearchException e = refused("iris.csv", null, "specis");
    assertTrue(e.getMessage().contains("no column `specis` in the header (sepal_length"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dresearch.data.label="), e.getMessage());
    assertTrue(refused("iris.csv", null, "7").getMessage().contains("out of range: the file has 5 columns"));
    assertFalse(Files.exists(root.resolve("data/iris.yaml")));
  }

  @Test
  void refusesARaggedRowNamingItsNumberAndColumnCount() throws IOException {
    write(root, "iris.csv", IRIS + "6.0,3.0,5.0,virginica\n");
    ResearchException e = refused("iris.csv", null, null);
    assertTrue(e.getMessage().contains("iris.csv: row 8 (line 8) has 4 columns, the header has 5"), e.getMessage());
    assertFalse(Files.exists(root.resolve("data/iris.yaml")));
  }

  @Test
  void refusesABadName() throws IOException {
    write(root, "iris.csv", IRIS);
    ResearchException e = refused("iris.csv", "My Iris", null);
    assertTrue(e.getMessage().contains("Fix: -Dresearch.data.name=my-iris"), e.getMessage());
  }

  @Test
  void namesAreSanitisedBaseNames() {
    assertEquals("iris", DataAdder.nameOf("iris.csv"));
    assertEquals("digits", DataAdder.nameOf("digits.csv.gz"));
    assertEquals("my-data-2024", DataAdder.nameOf("My Data 2024.csv"));
    assertEquals("data", DataAdder.nameOf("___.csv"));
  }
}
