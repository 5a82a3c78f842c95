package io.github.researchcycle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsReaderTest {
  @Test
  void readsWhatTheWriterWritesWithoutAndWithTheJsonParserAlike(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    try (MetricsWriter w = new MetricsWriter(file, 1000, () -> 1234L)) {
      w.log("loss", 0.25, 3, 0);
      w.log("val \"acc\"", 0.5, 4, 1);
      w.log("nan", Double.NaN, 5, 1);
      w.log("inf", Double.NEGATIVE_INFINITY, 6, 2);
      w.log("tiny", 1.0E-300, 7, 2);
      w.log("ünï", -2, 8, -1);
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(6, lines.size());
    for (String line : lines) {
      MetricLine viaParser = jsonOnly(line);
      assertEquals(viaParser, MetricsReader.parseLine(line), line);
    }
    // The escaped name is left to the JSON parser; the others take the fast path.
    assertNull(MetricsReader.writerLayout(lines.get(1)));
    assertEquals(new MetricLine(3, 0, "loss", 0.25, 1234), MetricsReader.writerLayout(lines.get(0)));
    assertEquals(Double.NaN, MetricsReader.writerLayout(lines.get(2)).value());
    assertEquals(Map.of("loss", 0.25, "val \"acc\"", 0.5, "nan", Double.NaN, "inf", Double.NEGATIVE_INFINITY, "tiny",
        1.0E-300, "ünï", -2.0), MetricsReader.finalValues(file));
  }

  @Test
  void aCutLastLineAndOtherLayoutsAreHandled() {
    String full = "{\"step\":5,\"epoch\":0,\"name\":\"loss\",\"value\":0.5,\"time\":9}";
    for (int cut = 1; cut < full.length(); cut++) {
      assertNull(MetricsReader.parseLine(full.substring(0, cut)), full.substring(0, cut));
    }
    String reordered = "{\"name\":\"loss\",\"step\":5,\"value\":0.5,\"epoch\":0}";
    assertEquals(new MetricLine(5, 0, "loss", 0.5, 0), MetricsReader.parseLine(reordered));
    assertNull(MetricsReader.writerLayout(reordered));
  }

  private static MetricLine jsonOnly(String line) throws Exception {
    var n = Json.mapper().readTree(line);
    var v = n.get("value");
    return new MetricLine(n.get("step").asLong(), n.path("epoch").asInt(-1), n.get("name").asText(),
        v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText()), n.path("time").asLong());
  }
}
