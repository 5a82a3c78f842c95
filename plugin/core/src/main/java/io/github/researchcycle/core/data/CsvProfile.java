package io.github.researchcycle.core.data;

import io.github.researchcycle.core.ResearchException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * What {@code research:data -Dresearch.data.add} finds in a CSV file (raw or gzip): its delimiter,
 * whether the first line is a header (column names, or scikit-learn's {@code n_samples,n_features,
 * class names} line), each column's type, and the classes of the label column with their counts.
 *
 * @param delimiter the field delimiter: {@code ,}, {@code ;} or a tab
 * @param header {@code true}, {@code false} or {@code sklearn}, as the manifest's {@code csv.header}
 * @param columns every column; names only when the header names them
 * @param label the label column's index
 * @param categorical whether the label is a class (else a numeric target)
 * @param rows the data rows (the header line not counted)
 */
public record CsvProfile(
    char delimiter, String header, List<DataManifest.Column> columns, int label, boolean categorical, long rows) {
  /** The delimiters tried, in order of preference when several fit. */
  static final char[] DELIMITERS = {',', ';', '\t'};
  /** Lines read to guess the delimiter and the header. */
  private static final int SAMPLE = 50;
  /** An integer label with at most this many distinct values is taken as a class. */
  static final int MAX_INTEGER_CLASSES = 100;

  /** The label column's entry. */
  public DataManifest.Column labelColumn() {
    return columns.get(label);
  }

  /**
   * Reads every row of {@code file}. {@code label} names the label column (a header name or an index,
   * negative from the end); null means the last column. A file that cannot be read as a table is
   * refused in one line naming the file, the row and the fix.
   */
  public static CsvProfile of(Path file, String label) {
    List<String> sample = sample(file);
    if (sample.isEmpty()) {
      throw new ResearchException(file + ": the file is empty (no line with data). Fix: point "
          + "-Dresearch.data.add at a CSV file with one row per example.");
    }
    char delimiter = sniffDelimiter(sample);
    List<List<String>> head = parse(String.join("\n", sample), delimiter);
    String header = sniffHeader(head);
    int width = header.equals("sklearn") ? head.get(1).size() : head.get(0).size();
    List<String> names = header.equals("true") ? head.get(0) : null;
    int labelIndex = labelIndex(file, label, names, width);
    Column[] cols = new Column[width];
    for (int i = 0; i < width; i++) {
      cols[i] = new Column();
    }
    long rows = 0;
    try (CSVParser parser = CSVParser.builder().setReader(reader(file)).setFormat(format(delimiter)).get()) {
      Iterator<CSVRecord> it = parser.iterator();
      if (!header.equals("false") && it.hasNext()) {
        it.next();
      }
      while (it.hasNext()) {
        CSVRecord r = it.next();
        if (r.size() != width) {
          throw new ResearchException(file + ": row " + r.getRecordNumber() + " (line "
              + parser.getCurrentLineNumber() + ") has " + r.size() + " column" + (r.size() == 1 ? "" : "s")
              + ", the " + (header.equals("true") ? "header has " : "first row has ") + width
              + ". Fix: make every row have " + width + " fields (quote a field that holds the delimiter `"
              + printable(delimiter) + "`).");
        }
        if (r.get(labelIndex).isBlank()) {
          throw new ResearchException(file + ": row " + r.getRecordNumber() + " (line " + parser.getCurrentLineNumber()
              + ") has no value in the label column " + labelIndex + ". Fix: fill it in or remove the row.");
        }
        for (int i = 0; i < width; i++) {
          cols[i].add(r.get(i).strip(), i == labelIndex);
        }
        rows++;
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ResearchException(file + ": cannot be read as CSV (" + e.getMessage() + "). Fix: point "
          + "-Dresearch.data.add at a readable CSV file (raw or .gz).", e);
    }
    if (rows == 0) {
      throw new ResearchException(file + ": the file has a header but no rows. Fix: point -Dresearch.data.add at "
          + "a CSV file with one row per example.");
    }
    List<DataManifest.Column> columns = new ArrayList<>();
    boolean categorical = cols[labelIndex].categorical();
    for (int i = 0; i < width; i++) {
      String name = names == null ? null : names.get(i).strip();
      DataManifest.ColumnType type = cols[i].type();
      Map<String, Long> classes = null;
      if (i == labelIndex && categorical) {
        type = DataManifest.ColumnType.CATEGORY;
        classes = cols[i].classes();
      }
      columns.add(new DataManifest.Column(name, type, classes));
    }
    return new CsvProfile(delimiter, header, List.copyOf(columns), labelIndex, categorical, rows);
  }

  /**
   * The shape of a file as a loader sees it, for the check of a manifest's {@code columns}: the
   * header's names (null when {@code header} is not {@code true}) and the number of fields of the
   * first data row. Reads only the first lines.
   */
  public static Shape shape(Path file, char delimiter, String header) throws IOException {
    List<String> sample = sample(file);
    List<List<String>> head = parse(String.join("\n", sample), delimiter);
    int skip = header.equals("false") ? 0 : 1;
    List<String> names = header.equals("true") && !head.isEmpty() ? head.get(0) : null;
    int width = head.size() > skip ? head.get(skip).size() : names == null ? 0 : names.size();
    return new Shape(names == null ? null : names.stream().map(String::strip).toList(), width);
  }

  /**
   * A file's header and width.
   *
   * @param names the column names of the header line, or null
   * @param width the number of fields of the first data row
   */
  public record Shape(List<String> names, int width) {}

  /** {@code \t} for a tab, else the character. */
  static String printable(char delimiter) {
    return delimiter == '\t' ? "\\t" : String.valueOf(delimiter);
  }

  private static CSVFormat format(char delimiter) {
    return CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true).get();
  }

  private static Reader reader(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file));
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      in = new GZIPInputStream(in);
    }
    Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    reader.mark(1);
    if (reader.read() != '\uFEFF') {
      reader.reset(); // no byte-order mark (which spreadsheets write first) to skip
    }
    return reader;
  }

  private static List<String> sample(Path file) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(reader(file))) {
      String line;
      while (lines.size() < SAMPLE && (line = r.readLine()) != null) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      throw new ResearchException(file + ": cannot be read (" + e.getMessage() + "). Fix: point "
          + "-Dresearch.data.add at a readable CSV file (raw or .gz).", e);
    }
    return lines;
  }

  private static List<List<String>> parse(String text, char delimiter) {
    List<List<String>> rows = new ArrayList<>();
    try (CSVParser p = CSVParser.builder().setReader(new StringReader(text)).setFormat(format(delimiter)).get()) {
      for (CSVRecord r : p) {
        rows.add(r.toList());
      }
    } catch (IOException | UncheckedIOException e) {
      // A sample cut inside a quoted field: keep the rows read so far.
    }
    return rows;
  }

  /** The delimiter that splits the sample's data lines into the most fields, equally on every line. */
  private static char sniffDelimiter(List<String> sample) {
    char best = ',';
    int bestWidth = 1;
    for (char d : DELIMITERS) {
      List<List<String>> rows = parse(String.join("\n", sample), d);
      List<List<String>> data = rows.size() > 1 ? rows.subList(1, rows.size()) : rows;
      int width = data.isEmpty() ? 0 : data.get(0).size();
      boolean even = data.stream().allMatch(r -> r.size() == data.get(0).size());
      if (even && width > bestWidth) {
        best = d;
        bestWidth = width;
      }
    }
    return best;
  }

  /** {@code sklearn}, {@code true} (the first row names the columns) or {@code false}. */
  private static String sniffHeader(List<List<String>> head) {
    List<String> first = head.get(0);
    if (head.size() > 1 && first.size() >= 2 && first.size() != head.get(1).size() && isInteger(first.get(0))
        && isInteger(first.get(1)) && Long.parseLong(first.get(1).strip()) + 1 == head.get(1).size()) {
      return "sklearn";
    }
    if (head.size() == 1) {
      return first.stream().anyMatch(v -> isNumber(v)) ? "false" : "true";
    }
    boolean allText = true;
    for (int i = 0; i < first.size(); i++) {
      final int c = i;
      String v = first.get(i).strip();
      boolean numericBelow = head.subList(1, head.size()).stream()
          .allMatch(r -> c < r.size() && (r.get(c).isBlank() || isNumber(r.get(c))));
      if (!isNumber(v) && !v.isEmpty() && numericBelow) {
        return "true";
      }
      allText &= !isNumber(v);
      if (head.subList(1, head.size()).stream().anyMatch(r -> c < r.size() && r.get(c).strip().equals(v))) {
        allText = false;
      }
    }
    return allText ? "true" : "false";
  }

  private static int labelIndex(Path file, String label, List<String> names, int width) {
    if (label == null || label.isBlank()) {
      return width - 1;
    }
    String l = label.strip();
    if (names != null) {
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).strip().equals(l)) {
          return i;
        }
      }
    }
    if (isInteger(l)) {
      long i = Long.parseLong(l);
      long index = i < 0 ? width + i : i;
      if (index >= 0 && index < width) {
        return (int) index;
      }
      throw new ResearchException(file + ": label column " + l + " is out of range: the file has " + width
          + " columns (0.." + (width - 1) + ", or -1 for the last). Fix: -Dresearch.data.label=-1.");
    }
    throw new ResearchException(file + ": no column `" + l + "` in "
        + (names == null ? "a file without a header line" : "the header (" + String.join(", ", names) + ")")
        + ". Fix: -Dresearch.data.label=" + (names == null ? "INDEX (0.." + (width - 1) + ", -1 for the last)"
            : "one of those names, or leave it out for the last column") + ".");
  }

  static boolean isInteger(String v) {
    return v.strip().matches("[+-]?\\d{1,18}");
  }

  static boolean isNumber(String v) {
    String s = v.strip();
    if (s.isEmpty()) {
      return false;
    }
    try {
      new BigDecimal(s);
      return true;
    } catch (NumberFormatException e) {
      return s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("-inf");
    }
  }

  /** What one column's values were: their kinds, and (for the label) each value's count. */
  private static final class Column {
    private boolean allInteger = true;
    private boolean allNumber = true;
    private boolean any;
    private final Map<String, Long> counts = new HashMap<>();

    void add(String value, boolean count) {
      if (count) {
        counts.merge(value, 1L, Long::sum);
      }
      if (value.isEmpty()) {
        return;
      }
      any = true;
      allInteger &= isInteger(value);
      allNumber &= isNumber(value);
    }

    DataManifest.ColumnType type() {
      if (any && allInteger) {
        return DataManifest.ColumnType.INTEGER;
      }
      return any && allNumber ? DataManifest.ColumnType.NUMBER : DataManifest.ColumnType.CATEGORY;
    }

    boolean categorical() {
      DataManifest.ColumnType t = type();
      return t == DataManifest.ColumnType.CATEGORY
          || t == DataManifest.ColumnType.INTEGER && counts.size() <= MAX_INTEGER_CLASSES;
    }

    /** The classes in the loader's order: whole numbers by value, names alphabetically. */
    Map<String, Long> classes() {
      Comparator<String> order = allInteger && any
          ? Comparator.comparingLong((String s) -> Long.parseLong(s.strip())) : Comparator.naturalOrder();
      Map<String, Long> sorted = new TreeMap<>(order);
      sorted.putAll(counts);
      return new LinkedHashMap<>(sorted);
    }
  }
}
