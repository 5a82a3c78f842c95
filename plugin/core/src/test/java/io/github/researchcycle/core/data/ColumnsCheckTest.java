package io.github.researchcycle.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.researchcycle.core.ResearchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest's {@code columns} is checked against the cached file's header (names and count) whenever it is verified. */
class ColumnsCheckTest {
  @TempDir Path root;
  final DataFixtures.Lines reporter = new DataFixtures.Lines();

  DataService service() {
    return new DataService(root, new DataCache(root.resolve("cache")), Duration.ofMillis(5));
  }

  Path manifestOf(String name, String text) throws Exception {
    Path csv = root.resolve("data/raw/" + name);
    Files.createDirectories(csv.getParent());
    Files.writeString(csv, text);
    return DataAdder.add(root, new DataAdder.Request("data/raw/" + name, null, null, false)).manifest();
  }

  void edit(Path manifest, String from, String to) throws Exception {
    String text = Files.readString(manifest);
    assertTrue(text.contains(from), text);
    Files.writeString(manifest, text.replace(from, to));
  }

  @Test
  void matchingColumnsPassAndARenamedColumnIsRefused() throws Exception {
    Path manifest = manifestOf("iris.csv", DataAdderTest.IRIS);
    DataService s = service();
    s.fetch(DataManifests.load(root, "iris"), reporter);
    assertEquals(0, s.verify(DataManifests.load(root, "iris"), false, reporter).hashed(), "fast path, columns match");
    edit(manifest, "{name: petal_width, type: number}", "{name: petal_w, type: number}");
    ResearchException e = assertThrows(ResearchException.class,
        () -> s.verify(DataManifests.load(root, "iris"), false, reporter));
    assertTrue(e.getMessage().startsWith("Data set iris: iris.csv has 5 columns (sepal_length, sepal_width, "
        + "petal_length, petal_width, species), and `columns` of data/iris.yaml lists 5 (sepal_length, sepal_width, "
        + "petal_length, petal_w, species)."), e.getMessage());
    assertTrue(e.getMessage().contains("Fix: correct `columns`"), e.getMessage());
  }

  @Test
  void aMissingColumnIsRefusedBeforeARunTrains() throws Exception {
    Path manifest = manifestOf("iris.csv", DataAdderTest.IRIS);
    edit(manifest, "  - {name: sepal_width, type: number}\n", "");
    ObjectMapper json = new ObjectMapper();
    ResearchException e = assertThrows(ResearchException.class,
        () -> service().prepareForRun(json.readTree("{\"data\":{\"name\":\"iris\"}}"), false, reporter));
    assertTrue(e.getMessage().contains("iris.csv has 5 columns"), e.getMessage());
    assertTrue(e.getMessage().contains("lists 4"), e.getMessage());
    assertTrue(e.getMessage().endsWith("The run was stopped before training."), e.getMessage());
  }

  @Test
  void withoutAHeaderTheCountIsChecked() throws Exception {
    Path manifest = manifestOf("digits.csv", "0,16,3,1\n4,12,0,0\n1,1,1,1\n");
    DataService s = service();
    s.fetch(DataManifests.load(root, "digits"), reporter);
    s.verify(DataManifests.load(root, "digits"), true, reporter);
    edit(manifest, "  - {type: integer}   ", "  - {type: integer}\n  - {type: integer}   ");
    ResearchException e = assertThrows(ResearchException.class,
        () -> s.verify(DataManifests.load(root, "digits"), true, reporter));
    assertTrue(e.getMessage().startsWith("Data set digits: digits.csv has 4 columns, and `columns` of "
        + "data/digits.yaml lists 5."), e.getMessage());
  }
}
