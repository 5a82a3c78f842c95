package io.github.researchcycle.core.compare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.DidYouMean;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Formatter;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code research:compare}: runs side by side — id, experiment, seed, status, the config keys that
 * differ between them, and their final metrics. Reads only the fields it shows from each
 * {@code run.json} (a streaming parse that skips the rest), so that ten thousand runs stay fast.
 */
public final class RunTable {
  /**
   * Plain Jackson: the same parser and generator as the run store mapper's factory (which only adds
   * the mapper as codec), without setting up the mapper.
   */
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One run's row.
   *
   * @param id the run id
   * @param experiment the experiment
   * @param seed the seed
   * @param status the status, as in run.json
   * @param commit the git commit the run started from (null when not recorded)
   * @param dirty whether the research folder had uncommitted changes (null when not recorded)
   * @param config the resolved config, flattened to dotted keys
   * @param metrics the final metrics
   */
  public record Row(String id, String experiment, long seed, String status, String commit, Boolean dirty,
      Map<String, String> config, Map<String, Double> metrics) {}

  /** The length of a commit as the table shows it (the JSON format keeps the whole hash). */
  static final int SHORT_COMMIT = 12;

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
   * Loads the runs of {@code runsDir} that match the filters (null or empty: all). An experiment
   * name that is neither a file of {@code experiments/} (next to {@code runsDir}) nor the experiment
   * of any run is refused, with the known names.
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
    List<Row> all;
    try {
      all = dirs.parallelStream().map(d -> read(d.resolve(RunStore.RUN_JSON))).filter(r -> r != null).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (experiments != null && !experiments.isEmpty()) {
      Set<String> known = knownExperiments(runsDir.toAbsolutePath().getParent(), all);
      for (String e : new TreeSet<>(experiments)) {
        if (!known.contains(e)) {
          throw new ResearchException("-Dresearch.experiment: no experiment `" + e + "`" + DidYouMean.hint(e, known)
              + ". Known experiments: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ".");
        }
      }
    }
    List<Row> rows = all.stream()
        .filter(r -> experiments == null || experiments.isEmpty() || experiments.contains(r.experiment()))
        .filter(r -> statuses == null || statuses.isEmpty() || statuses.contains(r.status()))
        .toList();
    Set<String> metrics = new LinkedHashSet<>();
    Set<String> allKeys = new TreeSet<>();
    for (Row r : rows) {
      metrics.addAll(r.metrics().keySet());
      allKeys.addAll(r.config().keySet());
    }
    // A key differs when some run's value (or its absence, "null") is not the first run's.
    List<String> differing = new ArrayList<>();
    for (String key : allKeys) {
      if (key.equals("description")) {
        continue;
      }
      String first = String.valueOf(rows.get(0).config().get(key));
      for (int i = 1; i < rows.size(); i++) {
        if (!first.equals(String.valueOf(rows.get(i).config().get(key)))) {
          differing.add(key);
          break;
        }
      }
    }
    return new Table(rows, List.copyOf(differing), List.copyOf(metrics));
  }

  /** The experiments of {@code experiments/NAME.yaml} under {@code root} and of the runs, sorted. */
  static Set<String> knownExperiments(Path root, List<Row> runs) throws IOException {
    Set<String> known = new TreeSet<>();
    runs.stream().map(Row::experiment).filter(e -> e != null).forEach(known::add);
    Path folder = root == null ? null : root.resolve("experiments");
    if (folder != null && Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
            .forEach(n -> known.add(n.substring(0, n.length() - ".yaml".length())));
      }
    }
    return known;
  }

  /** Reads one record's shown fields, or null for an unreadable or missing file. */
  static Row read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return read(file, false);
    } catch (NeedsTree e) {
      return read(file, true);
    }
  }

  /**
   * Reads one record: with {@code tree}, the config through Jackson's tree model (the reference);
   * without, streamed, which throws {@link NeedsTree} for what only the tree reproduces exactly.
   */
  private static Row read(Path file, boolean tree) {
    String id = null;
    String experiment = null;
    String status = null;
    String commit = null;
    Boolean dirty = null;
    long seed = 0;
    Map<String, String> config = new TreeMap<>();
    Set<String> objects = new HashSet<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    try (JsonParser p = (tree ? TreeModel.FACTORY : JSON).createParser(file.toFile())) {
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
          case "git" -> {
            if (value == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("commit") && t == JsonToken.VALUE_STRING) {
                  commit = p.getText();
                } else if (field.equals("clean") && (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE)) {
                  dirty = t == JsonToken.VALUE_FALSE;
                } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                  p.skipChildren();
                }
              }
            }
          }
          case "config" -> {
            if (tree) {
              flatten("", p.readValueAsTree(), config);
            } else {
              flatten("", p, config, objects);
            }
          }
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
    } catch (NeedsTree e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return id == null ? null : new Row(id, experiment, seed, status, commit, dirty, config, metrics);
  }

  /** The tree model's flattening: the reference the streamed one must equal. */
  private static void flatten(String prefix, TreeNode node, Map<String, String> out) {
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

  /**
   * The same flattening, streamed from the object at the parser's current token, without the tree
   * model (and without the object mapper, whose set-up alone costs a fresh JVM a few hundred
   * milliseconds). Handles non-empty objects of scalars, each scalar as its tree node's
   * {@code asText()}; throws {@link NeedsTree} for the rest: a config that is not an object, an empty
   * object, an array, and a key path met twice (a repeated key, which the tree keeps once).
   */
  private static void flatten(String prefix, JsonParser p, Map<String, String> out, Set<String> objects)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw NeedsTree.INSTANCE;
    }
    boolean empty = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      empty = false;
      String key = prefix + p.currentName();
      String text = switch (p.nextToken()) {
        case START_OBJECT -> {
          if (out.containsKey(key) || !objects.add(key)) {
            throw NeedsTree.INSTANCE;
          }
          flatten(key + ".", p, out, objects);
          yield null;
        }
        case VALUE_STRING -> p.getText();
        case VALUE_NUMBER_INT -> p.getNumberValue().toString(); // IntNode, LongNode, BigIntegerNode
        case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue()); // DoubleNode
        case VALUE_TRUE -> "true";
        case VALUE_FALSE -> "false";
        case VALUE_NULL -> "null";
        default -> throw NeedsTree.INSTANCE;
      };
      if (text != null && (objects.contains(key) || out.put(key, text) != null)) {
        throw NeedsTree.INSTANCE;
      }
    }
    if (empty) {
      throw NeedsTree.INSTANCE;
    }
  }

  /** A config the streamed flattening leaves to the tree model. */
  private static final class NeedsTree extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final NeedsTree INSTANCE = new NeedsTree();

    private NeedsTree() {
      super(null, null, false, false);
    }
  }

  /** The run store's mapper, set up only when a record needs the tree model. */
  private static final class TreeModel {
    static final JsonFactory FACTORY = Json.mapper().getFactory();
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
    if (format == Format.JSON) {
      return json(t);
    }
    List<String> header = new ArrayList<>(List.of("id", "experiment", "seed", "status", "commit", "dirty"));
    header.addAll(t.differing());
    header.addAll(t.metrics());
    Numbers numbers = new Numbers();
    List<String[]> cells = new ArrayList<>(t.rows().size());
    for (Row r : t.rows()) {
      String[] row = new String[header.size()];
      int i = 0;
      row[i++] = r.id();
      row[i++] = String.valueOf(r.experiment());
      row[i++] = String.valueOf(r.seed());
      row[i++] = String.valueOf(r.status());
      row[i++] = r.commit() == null ? "" : r.commit().substring(0, Math.min(SHORT_COMMIT, r.commit().length()));
      row[i++] = r.dirty() == null ? "" : r.dirty() ? "yes" : "no";
      for (String k : t.differing()) {
        row[i++] = r.config().getOrDefault(k, "");
      }
      for (String m : t.metrics()) {
        row[i++] = r.metrics().containsKey(m) ? numbers.format(r.metrics().get(m)) : "";
      }
      cells.add(row);
    }
    String[] head = header.toArray(new String[0]);
    return switch (format) {
      case CSV -> csv(head, cells);
      case MARKDOWN -> markdown(head, cells);
      case TABLE -> aligned(head, cells);
      case JSON -> throw new IllegalStateException("rendered above");
    };
  }

  /**
   * {@link #number} for many values, with the same output. Most values take a fast path: with
   * {@code x = |v| * 10^4} (one rounding) below 2^52, {@code %.4f} is {@code x} rounded half up, as
   * long as {@code x}'s fraction is not within 64 ulps of one half. (Formatter rounds half up the
   * decimal digits of {@code v}, which lie within half an ulp of {@code v}; so their scaled value is
   * within 1.5 ulps of {@code x} and rounds the same way.) The rest go through one {@link Formatter}.
   */
  static final class Numbers {
    private static final double FAST_LIMIT = 0x1p52;
    private final StringBuilder buffer = new StringBuilder(24);
    private final Formatter formatter = new Formatter(buffer, Locale.ROOT);

    /** {@link #number}{@code (v)}. */
    String format(double v) {
      if (!Double.isFinite(v)) {
        return String.valueOf(v);
      }
      buffer.setLength(0);
      double x = Math.abs(v) * 10_000;
      if (x < FAST_LIMIT) {
        double whole = Math.floor(x);
        double fraction = x - whole; // exact below 2^52
        if (Math.abs(fraction - 0.5) > 64 * Math.ulp(x)) {
          long n = (long) whole + (fraction > 0.5 ? 1 : 0);
          long part = n % 10_000;
          if (Double.compare(v, 0.0) < 0) {
            buffer.append('-'); // as Formatter: -0.0 and small negatives too
          }
          buffer.append(n / 10_000).append('.');
          for (long p = 1000; p > part && p > 1; p /= 10) {
            buffer.append('0');
          }
          return buffer.append(part).toString();
        }
      }
      formatter.format("%.4f", v);
      return buffer.toString();
    }
  }

  static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : String.valueOf(v);
  }

  private static String aligned(String[] header, List<String[]> cells) {
    int[] width = new int[header.length];
    for (int i = 0; i < width.length; i++) {
      width[i] = header[i].length();
    }
    long size = 0;
    for (String[] row : cells) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (int w : width) {
      size += w + 2;
    }
    StringBuilder b = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, size * (cells.size() + 1)));
    appendAligned(b, header, width);
    for (String[] row : cells) {
      appendAligned(b, row, width);
    }
    return b.toString();
  }

  /** One line: each cell left-aligned and padded to its column's width, two blanks apart, no trailing blanks. */
  private static void appendAligned(StringBuilder b, String[] row, int[] width) {
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        b.append("  ");
      }
      b.append(row[i]);
      for (int pad = width[i] - row[i].length(); pad > 0; pad--) {
        b.append(' ');
      }
    }
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == ' ') {
      end--;
    }
    b.setLength(end);
    b.append('\n');
  }

  private static String markdown(String[] header, List<String[]> cells) {
    StringBuilder b = new StringBuilder();
    appendMarkdown(b, header);
    b.append("|").append("---|".repeat(header.length)).append('\n');
    for (String[] row : cells) {
      appendMarkdown(b, row);
    }
    return b.toString();
  }

  private static void appendMarkdown(StringBuilder b, String[] row) {
    b.append("| ");
    for (int i = 0; i < row.length; i++) {
      b.append(i == 0 ? "" : " | ").append(mdCell(row[i]));
    }
    b.append(" |\n");
  }

  private static String mdCell(String s) {
    if (s.indexOf('\\') < 0 && s.indexOf('|') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
  }

  private static String csv(String[] header, List<String[]> cells) {
    StringBuilder b = new StringBuilder();
    appendCsv(b, header);
    for (String[] row : cells) {
      appendCsv(b, row);
    }
    return b.toString();
  }

  private static void appendCsv(StringBuilder b, String[] row) {
    for (int i = 0; i < row.length; i++) {
      b.append(i == 0 ? "" : ",").append(csvCell(row[i]));
    }
    b.append("\r\n");
  }

  /** The cells that are quoted: those {@code .*[",\r\n].*} matches, and any with a line feed. */
  private static final Pattern CSV_QUOTED = Pattern.compile(".*[\",\r\n].*");

  private static String csvCell(String s) {
    boolean special = false;
    for (int i = 0; i < s.length() && !special; i++) {
      char c = s.charAt(i);
      special = c == '"' || c == ',' || c == '\r' || c == '\n';
    }
    if (!special) {
      return s;
    }
    return CSV_QUOTED.matcher(s).matches() || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /**
   * A JSON array of objects (id, experiment, seed, status, commit, dirty, the differing config keys, the metrics),
   * written by a streaming generator exactly as {@code Json.mapper().writeValueAsString} of the
   * equivalent maps (indented with the default pretty printer; non-finite metrics as strings).
   */
  private static String json(Table t) throws IOException {
    StringWriter out = new StringWriter(256 + 400 * t.rows().size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter()); // as Json.mapper()'s INDENT_OUTPUT
      g.writeStartArray();
      for (Row r : t.rows()) {
        g.writeStartObject();
        g.writeStringField("id", r.id());
        g.writeStringField("experiment", r.experiment());
        g.writeNumberField("seed", r.seed());
        g.writeStringField("status", r.status());
        g.writeStringField("commit", r.commit());
        if (r.dirty() == null) {
          g.writeNullField("dirty");
        } else {
          g.writeBooleanField("dirty", r.dirty());
        }
        g.writeObjectFieldStart("config");
        for (String k : t.differing()) {
          g.writeStringField(k, r.config().get(k));
        }
        g.writeEndObject();
        g.writeObjectFieldStart("metrics");
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
          g.writeFieldName(m.getKey());
          if (m.getValue() == null) {
            g.writeNull();
          } else {
            g.writeNumber(m.getValue().doubleValue());
          }
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    return out + "\n";
  }
}
