package io.github.researchcycle.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.runtime.data.Csv.Header;
import io.github.researchcycle.runtime.data.Csv.Options;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
  static final Path SKLEARN = Path.of(System.getProperty("research.test.sklearn",
      "/tmp/ds/x-python3-sklearn/usr/lib/python3/dist-packages/sklearn/datasets/data"));

  private static Path write(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void headerNamesCategoricalLabelByName(@TempDir Path dir) throws Exception {
    Path f = write(dir, "a.csv", "a,species,b\n1,cat,2\n3,dog,4.5\n\n5,cat,-6e-1\n");
    Csv.Table t = Csv.read(f, Options.defaults().header(Header.NAMES).label("species"));
    assertEquals(3, t.rows());
    assertEquals(2, t.features());
    assertArrayEquals(new float[] {1, 2, 3, 4.5f, 5, -0.6f}, t.x());
    assertArrayEquals(new float[] {0, 1, 0}, t.y());
    assertEquals(List.of("cat", "dog"), t.classes());
    assertEquals(List.of("a", "b"), t.featureNames());
  }

  @Test
  void noHeaderNumericLabelByNegativeIndexGzipAndDelimiter(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("b.csv.data");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write("0.5;7;1\n1.5;8;2\n".getBytes(StandardCharsets.UTF_8));
    }
    Csv.Table t = Csv.read(f, Options.defaults().delimiter(';').label("-2").categorical(false));
    assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2}, t.x());
    assertArrayEquals(new float[] {7, 8}, t.y());
    assertEquals(List.of(), t.classes());
  }

  @Test
  void quotedFieldsAndPresetClasses(@TempDir Path dir) throws Exception {
    Path f = write(dir, "q.csv", "\"x\",\"y\",\"label\"\n\"1\",2,\"b, the second\"\n3,\"4\",a\n");
    Csv.Table t = Csv.read(f, Options.defaults().header(Header.NAMES).classes(List.of("a", "b, the second")));
    assertArrayEquals(new float[] {1, 0}, t.y());
    assertArrayEquals(new float[] {1, 2, 3, 4}, t.x());
  }

  private static String error(Path f, Options o) {
    return assertThrows(IOException.class, () -> Csv.read(f, o)).getMessage();
  }

  @Test
  void errorsNameFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path f = write(dir, "bad.csv", "a,b,label\n1,2,x\n1,oops,y\n");
    String m = error(f, Options.defaults().header(Header.NAMES));
    assertTrue(m.contains(f.toString()) && m.contains("line 3") && m.contains("column 2 (\"b\")") && m.contains("oops"), m);

    Path ragged = write(dir, "ragged.csv", "1,2,0\n1,2\n");
    m = error(ragged, Options.defaults());
    assertTrue(m.contains("line 2") && m.contains("2 columns, expected 3"), m);

    Path empty = write(dir, "empty.csv", "1,,0\n");
    assertTrue(error(empty, Options.defaults()).contains("column 2: empty value"));

    assertTrue(error(f, Options.defaults().header(Header.NAMES).label("nope")).contains("no column named \"nope\""));
    assertTrue(error(f, Options.defaults().label("name")).contains("no header"));
    assertTrue(error(f, Options.defaults().header(Header.NAMES).label("5")).contains("outside the 3 columns"));

    Path sk = write(dir, "sk.csv", "3,2,a,b\n1,2,0\n3,4,1\n");
    assertTrue(error(sk, Options.defaults().header(Header.SKLEARN)).contains("header says 3"));
    Path skBad = write(dir, "sk2.csv", "1,2,a,b\n1,2,5\n");
    m = error(skBad, Options.defaults().header(Header.SKLEARN));
    assertTrue(m.contains("line 2") && m.contains("label 5 is outside the header's 2 classes"), m);
  }

  @Test
  void sklearnIris() throws Exception {
    Path iris = SKLEARN.resolve("iris.csv");
    Assumptions.assumeTrue(Files.isRegularFile(iris), "no " + iris + ": extract Debian python3-sklearn to /tmp/ds "
        + "or pass -Dresearch.test.sklearn=DIR");
    Csv.Table t = Csv.read(iris, Options.defaults().header(Header.parse("sklearn")));
    assertEquals(150, t.rows());
    assertEquals(4, t.features());
    assertEquals(List.of("setosa", "versicolor", "virginica"), t.classes());
    assertEquals(5.1f, t.x()[0]);
    assertEquals(2, t.y()[149]);
  }

  @Test
  void sklearnDigitsGzipWithoutHeaderAndWine() throws Exception {
    Path digits = SKLEARN.resolve("digits.csv.gz");
    Assumptions.assumeTrue(Files.isRegularFile(digits), "no " + digits + ": extract Debian python3-sklearn to /tmp/ds");
    Csv.Table t = Csv.read(digits, Options.defaults().categorical(false));
    assertEquals(1797, t.rows());
    assertEquals(64, t.features());
    Csv.Table wine = Csv.read(SKLEARN.resolve("wine_data.csv"), Options.defaults().header(Header.SKLEARN));
    assertEquals(178, wine.rows());
    assertEquals(13, wine.features());
    Csv.Table cancer = Csv.read(SKLEARN.resolve("breast_cancer.csv"), Options.defaults().header(Header.SKLEARN));
    assertEquals(569, cancer.rows());
    assertEquals(30, cancer.features());
  }
}
