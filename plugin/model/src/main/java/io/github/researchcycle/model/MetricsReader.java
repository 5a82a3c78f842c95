package io.github.researchcycle.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code metrics.jsonl}, tolerating a last line cut short by a killed process. */
public final class MetricsReader {
  private MetricsReader() {}

  /** Every complete line of the file, in order; an absent file reads as none. */
  public static List<MetricLine> read(Path file) throws IOException {
    List<MetricLine> lines = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        MetricLine parsed = parseLine(line);
        if (parsed != null) {
          lines.add(parsed);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return lines;
  }

  /** The last value logged for each name, in order of first appearance. */
  public static Map<String, Double> finalValues(Path file) throws IOException {
    Map<String, Double> last = new LinkedHashMap<>();
    for (MetricLine l : read(file)) {
      last.put(l.name(), l.value());
    }
    return last;
  }

  /** Parses one line, or returns null for a blank or truncated line. */
  public static MetricLine parseLine(String line) {
    if (line.isBlank()) {
      return null;
    }
    MetricLine fast = writerLayout(line);
    if (fast != null) {
      return fast;
    }
    try {
      JsonNode n = Json.mapper().readTree(line);
      JsonNode v = n.get("value");
      double value = v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
      return new MetricLine(n.get("step").asLong(), n.path("epoch").asInt(-1), n.get("name").asText(), value,
          n.path("time").asLong());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The lines {@link MetricsWriter} writes, {@code {"step":S,"epoch":E,"name":"N","value":V,"time":T}},
   * read without a JSON parser (a run's completion reads every line of the file, in a JVM that has
   * not warmed up); null for anything else (escaped names, other layouts, cut lines), which the JSON
   * parser then reads.
   */
  static MetricLine writerLayout(String line) {
    if (!line.startsWith("{\"step\":") || !line.endsWith("}")) {
      return null;
    }
    int epoch = line.indexOf(",\"epoch\":", 8);
    int name = epoch < 0 ? -1 : line.indexOf(",\"name\":\"", epoch + 9);
    int value = name < 0 ? -1 : line.indexOf("\",\"value\":", name + 9);
    int time = value < 0 ? -1 : line.indexOf(",\"time\":", value + 10);
    if (time < 0) {
      return null;
    }
    String n = line.substring(name + 9, value);
    if (n.indexOf('\\') >= 0 || n.indexOf('"') >= 0) {
      return null;
    }
    String v = line.substring(value + 10, time);
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      return new MetricLine(Long.parseLong(line.substring(8, epoch)), Integer.parseInt(line.substring(epoch + 9, name)),
          n, Double.parseDouble(v), Long.parseLong(line.substring(time + 8, line.length() - 1)));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
