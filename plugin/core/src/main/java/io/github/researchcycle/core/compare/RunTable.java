package io.github.researchcycle.core.compare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.config.DidYouMean;
import io.github.researchcycle.core.store.Json;
import io.github.researchcycle.core.store.RunIds;
import io.github.researchcycle.core.store.RunStatus;
import io.github.researchcycle.core.store.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code research:compare}: runs side by side — id, experiment, seed, status, the config keys that
 * differ between them, and their final metrics. Reads only the fields it shows from each
 * {@code run.json} (a streaming parse that skips the rest), so that ten thousand runs stay fast.
 */
public final class RunTable {
  private static final JsonFactory JSON = Json.mapper().getFactory();

  /**
   * One run's row.
   *
   * @param id the run id
   * @param experiment the experiment
   * @param seed the seed
   * @param status the status, as in run.json
   * @param config the resolved config, flattened to dotted keys
   * @param metrics the final metrics
   */
  public record Row(String id, String experiment, long seed, String status, Map<String, String> config,
      Map<String, Double> metrics) {}

  /**
   * The table.
   *
   * @param rows the runs, oldest first
   * @param differing the config keys whose values differ between the rows
   * @param metrics the metric names, in order of first appearance
   */
  public record Table(List<Row> rows, List<String> differing, List<String> metrics) {}

  private RunTable() {}

  /**
   * Loads the runs of {@code runsDir} that match the filters (null or empty: all).
   *
   * @param experiments experiment names to keep
   * @param statuses statuses to keep ({@code finished}, {@code failed}, ...)
   */
  public static Table load(Path runsDir, Set<String> experiments, Set<String> statuses) throws IOException {
    if (statuses != null) {
      Set<String> known = new LinkedHashSet<>();
      Arrays.stream(RunStatus.values()).forEach(s -> known.add(s.json()));
      for (String s : statuses) {
        if (!known.contains(s)) {
          throw new ResearchException("-Dresearch.status: unknown status `" + s + "`" + DidYouMean.hint(s, known)
              + ". Statuses: " + String.join(", ", known) + ".");
        }
      }
    }
    List<Path> dirs;
    if (!Files.isDirectory(runsDir)) {
      dirs = List.of();
    } else {
      try (Stream<Path> list = Files.list(runsDir)) {
        dirs = list.filter(d -> RunIds.isValid(d.getFileName().toString())).sorted().toList();
      }
    }
    List<Row> rows;
    try {
      rows = dirs.parallelStream().map(d -> read(d.resolve(RunStore.RUN_JSON)))
          .filter(r -> r != null)
          .filter(r -> experiments == null || experiments.isEmpty() || experiments.contains(r.experiment()))
          .filter(r -> statuses == null || statuses.isEmpty() || statuses.contains(r.status()))
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Map<String, Set<String>> values = new TreeMap<>();
    Set<String> metrics = new LinkedHashSet<>();
    for (Row r : rows) {
      r.metrics().keySet().forEach(metrics::add);
    }
    Set<String> allKeys = new LinkedHashSet<>();
    rows.forEach(r -> allKeys.addAll(r.config().keySet()));
    for (String key : allKeys) {
      Set<String> seen = new LinkedHashSet<>();
      for (Row r : rows) {
        seen.add(String.valueOf(r.config().get(key)));
      }
      values.put(key, seen);
    }
    List<String> differing = values.entrySet().stream().filter(e -> e.getValue().size() > 1)
        .map(Map.Entry::getKey).filter(k -> !k.equals("description")).toList();
    return new Table(rows, differing, List.copyOf(metrics));
  }

  /** Reads one record's shown fields, or null for an unreadable or missing file. */
  static Row read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    String id = null;
    String experiment = null;
    String status = null;
    long seed = 0;
    Map<String, String> config = new TreeMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "id" -> id = p.getText();
          case "experiment" -> experiment = p.getText();
          case "status" -> status = p.getText();
          case "seed" -> seed = p.getLongValue();
          case "config" -> flatten("", p.readValueAsTree(), config);
          case "finalMetrics" -> {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String metric = p.currentName();
              JsonToken t = p.nextToken();
              metrics.put(metric, t == JsonToken.VALUE_STRING ? Double.parseDouble(p.getText()) : p.getDoubleValue());
            }
          }
          default -> {
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
              p.skipChildren();
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return id == null ? null : new Row(id, experiment, seed, status, config, metrics);
  }

  private static void flatten(String prefix, com.fasterxml.jackson.core.TreeNode node, Map<String, String> out) {
    JsonNode n = (JsonNode) node;
    if (n.isObject() && n.size() > 0) {
      Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        flatten(prefix + f.getKey() + ".", f.getValue(), out);
      }
    } else {
      out.put(prefix.substring(0, prefix.length() - 1), n.isValueNode() ? n.asText() : n.toString());
    }
  }

  /** The output formats. */
  public enum Format {
    /** Aligned columns for a terminal. */
    TABLE,
    /** A GitHub-flavoured Markdown table. */
    MARKDOWN,
    /** RFC 4180 CSV. */
    CSV,
    /** A JSON array of objects. */
    JSON;

    /** Parses a format name, with a hint for typos. */
    public static Format parse(String name) {
      if (name == null || name.isBlank()) {
        return TABLE;
      }
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        List<String> known = Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList();
        throw new ResearchException("-Dresearch.format: unknown format `" + name + "`" + DidYouMean.hint(name, known)
            + ". Formats: " + String.join(", ", known) + ".");
      }
    }
  }

  /** Renders the table in a format. */
  public static String render(Table t, Format format) throws IOException {
    List<String> header = new ArrayList<>(List.of("id", "experiment", "seed", "status"));
    header.addAll(t.differing());
    header.addAll(t.metrics());
    List<List<String>> cells = new ArrayList<>();
    for (Row r : t.rows()) {
      List<String> row = new ArrayList<>(List.of(r.id(), String.valueOf(r.experiment()), String.valueOf(r.seed()),
          String.valueOf(r.status())));
      t.differing().forEach(k -> row.add(r.config().getOrDefault(k, "")));
      t.metrics().forEach(m -> row.add(r.metrics().containsKey(m) ? number(r.metrics().get(m)) : ""));
      cells.add(row);
    }
    return switch (format) {
      case CSV -> csv(header, cells);
      case MARKDOWN -> markdown(header, cells);
      case JSON -> json(t);
      case TABLE -> aligned(header, cells);
    };
  }

  static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : String.valueOf(v);
  }

  private static String aligned(List<String> header, List<List<String>> cells) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> row : cells) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    appendAligned(b, header, width);
    for (List<String> row : cells) {
      appendAligned(b, row, width);
    }
    return b.toString();
  }

  private static void appendAligned(StringBuilder b, List<String> row, int[] width) {
    for (int i = 0; i < row.size(); i++) {
      b.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", row.get(i)));
    }
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == ' ') {
      end--;
    }
    b.setLength(end);
    b.append('\n');
  }

  private static String markdown(List<String> header, List<List<String>> cells) {
    StringBuilder b = new StringBuilder();
    b.append("| ").append(String.join(" | ", header.stream().map(RunTable::mdCell).toList())).append(" |\n");
    b.append("|").append("---|".repeat(header.size())).append('\n');
    for (List<String> row : cells) {
      b.append("| ").append(String.join(" | ", row.stream().map(RunTable::mdCell).toList())).append(" |\n");
    }
    return b.toString();
  }

  private static String mdCell(String s) {
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
  }

  private static String csv(List<String> header, List<List<String>> cells) {
    StringBuilder b = new StringBuilder();
    b.append(String.join(",", header.stream().map(RunTable::csvCell).toList())).append("\r\n");
    for (List<String> row : cells) {
      b.append(String.join(",", row.stream().map(RunTable::csvCell).toList())).append("\r\n");
    }
    return b.toString();
  }

  private static String csvCell(String s) {
    return s.matches(".*[\",\r\n].*") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String json(Table t) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : t.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("experiment", r.experiment());
      m.put("seed", r.seed());
      m.put("status", r.status());
      Map<String, String> differing = new LinkedHashMap<>();
      t.differing().forEach(k -> differing.put(k, r.config().get(k)));
      m.put("config", differing);
      m.put("metrics", r.metrics());
      out.add(m);
    }
    return Json.mapper().writeValueAsString(out) + "\n";
  }
}
