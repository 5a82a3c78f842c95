package io.github.researchcycle.model;

import static io.github.researchcycle.model.ModelTestFiles.await;
import static io.github.researchcycle.model.ModelTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsWriterTest {
  @TempDir Path dir;

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void linesReachTheFileWithinTheFlushIntervalWithoutClose() throws Exception {
    Path file = dir.resolve(RunFiles.METRICS);
    MetricsWriter w = new MetricsWriter(file, 50, () -> 1000L);
    try {
      w.log("loss", 0.5, 1, 0);
      w.log("loss", 0.25, 2, 0);
      assertTrue(await(() -> MetricsReaderLines.count(file) == 2, 2000), "two lines flushed by the timer");
      assertEquals(List.of(new MetricLine(1, 0, "loss", 0.5, 1000), new MetricLine(2, 0, "loss", 0.25, 1000)),
          MetricsReader.read(file));
      w.log("accuracy", 0.75, 2, 0);
      assertTrue(await(() -> MetricsReaderLines.count(file) == 3, 2000), "later lines flushed too");
      assertEquals(size(file), w.bytesWritten());
      assertTrue(Files.readString(file).endsWith("}\n"), "whole lines only");
    } finally {
      w.close();
    }
  }

  @Test
  void closeFlushes() throws IOException {
    Path file = dir.resolve(RunFiles.METRICS);
    MetricsWriter w = new MetricsWriter(file, 3_600_000, () -> 7L);
    w.log("loss", 1.5, 10, 2);
    assertEquals(0, size(file), "buffered until the interval or close");
    w.close();
    assertEquals(List.of(new MetricLine(10, 2, "loss", 1.5, 7)), MetricsReader.read(file));
    w.close();
    assertThrows(IllegalStateException.class, () -> w.log("loss", 1, 11, 2));
  }

  @Test
  void explicitFlushWritesAndAppendsToAnExistingFile() throws IOException {
    Path file = write(dir, RunFiles.METRICS, ModelTestFiles.line(1, "old", "1.0"));
    try (MetricsWriter w = new MetricsWriter(file, 3_600_000, () -> 7L)) {
      w.log("new", 2, 2, -1);
      w.flush();
      List<MetricLine> lines = MetricsReader.read(file);
      assertEquals(2, lines.size());
      assertEquals(new MetricLine(2, -1, "new", 2.0, 7), lines.get(1));
    }
  }

  @Test
  void nonFiniteValuesAreWrittenAsStringsAndReadBack() throws IOException {
    Path file = dir.resolve(RunFiles.METRICS);
    try (MetricsWriter w = new MetricsWriter(file, 3_600_000, () -> 7L)) {
      w.log("loss", Double.NaN, 1, 0);
      w.log("grad", Double.POSITIVE_INFINITY, 1, 0);
      w.log("neg", Double.NEGATIVE_INFINITY, 1, 0);
    }
    String text = Files.readString(file);
    assertTrue(text.contains("\"value\":\"NaN\""), text);
    for (String line : text.split("\n")) {
      JsonNode n = Json.mapper().readTree(line);
      assertTrue(n.get("value").isTextual(), line);
    }
    List<MetricLine> lines = MetricsReader.read(file);
    assertTrue(Double.isNaN(lines.get(0).value()));
    assertEquals(Double.POSITIVE_INFINITY, lines.get(1).value());
    assertEquals(Double.NEGATIVE_INFINITY, lines.get(2).value());
    assertTrue(Double.isNaN(MetricsReader.finalValues(file).get("loss")));
  }

  @Test
  void namesAreEscaped() throws IOException {
    Path file = dir.resolve(RunFiles.METRICS);
    String name = "acc \"top-1\" \\ per\tclass\nx\u0001";
    try (MetricsWriter w = new MetricsWriter(file, 3_600_000, () -> 7L)) {
      w.log(name, 0.5, 1, 0);
      w.log("é ✓", 0.25, 1, 0);
    }
    List<String> raw = Files.readAllLines(file);
    assertEquals(2, raw.size(), "one line per value even with a newline in the name");
    assertEquals(name, Json.mapper().readTree(raw.get(0)).get("name").asText());
    assertEquals(Map.of(name, 0.5, "é ✓", 0.25), MetricsReader.finalValues(file));
  }

  @Test
  void readerSkipsTruncatedLastLineAndBlankLines() throws IOException {
    Path file = write(dir, RunFiles.METRICS,
        ModelTestFiles.line(1, "loss", "0.9") + "\n" + ModelTestFiles.line(2, "loss", "0.8") + "{\"step\":3,\"epoch\":0,\"name\":\"lo");
    List<MetricLine> lines = MetricsReader.read(file);
    assertEquals(2, lines.size());
    assertEquals(0.8, lines.get(1).value());
    assertEquals(Map.of("loss", 0.8), MetricsReader.finalValues(file));
  }

  @Test
  void readerOfAMissingFileReadsNone() throws IOException {
    assertEquals(List.of(), MetricsReader.read(dir.resolve("absent.jsonl")));
    assertEquals(Map.of(), MetricsReader.finalValues(dir.resolve("absent.jsonl")));
  }

  @Test
  void parseLineRefusesIncompleteLines() {
    assertNull(MetricsReader.parseLine(""));
    assertNull(MetricsReader.parseLine("{\"step\":1,\"name\":\"x\"}"));
    assertNull(MetricsReader.parseLine("{\"step\":1,\"name\":\"x\",\"value\":\"oops\"}"));
    assertEquals(-1, MetricsReader.parseLine("{\"step\":1,\"name\":\"x\",\"value\":2}").epoch());
  }

  /** Counts complete lines in a file that may not exist yet. */
  static final class MetricsReaderLines {
    static int count(Path file) {
      try {
        return Files.exists(file) ? MetricsReader.read(file).size() : 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
