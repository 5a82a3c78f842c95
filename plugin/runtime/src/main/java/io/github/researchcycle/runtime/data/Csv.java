package io.github.researchcycle.runtime.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a CSV file of numeric features and one label column into float arrays.
 *
 * <p>The file may be gzip-compressed (detected from its magic bytes). The first line is either
 * data ({@link Header#NONE}), column names ({@link Header#NAMES}), or scikit-learn's line
 * {@code n_samples,n_features,class names...} ({@link Header#SKLEARN}, as in {@code iris.csv}).
 * The label column is chosen by index (negative counts from the end: -1 is the last column) or,
 * with column names, by name. A categorical label maps its values to 0..k-1 in order of first
 * appearance (or in the order of {@link Options#classes}); a numeric label is taken as given.
 * Fields may be quoted with double quotes. Empty lines are skipped. An error names the file, the
 * line and the column.
 */
public final class Csv {
  private Csv() {}

  /** What the first line of the file is. */
  public enum Header {
    /** No header: the first line is data. */
    NONE,
    /** The first line names the columns. */
    NAMES,
    /** scikit-learn's first line: {@code n_samples,n_features,class name,...}. */
    SKLEARN;

    /** {@code none}, {@code names} (or {@code true}) or {@code sklearn}. */
    public static Header parse(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "none", "false", "no" -> NONE;
        case "names", "true", "yes", "first" -> NAMES;
        case "sklearn" -> SKLEARN;
        default -> throw new IllegalArgumentException("CSV header must be none, names or sklearn, found: " + value);
      };
    }
  }

  /** How to read a file: header, delimiter, label column, label kind. Defaults: no header, ',', the last column, categorical. */
  public static final class Options {
    private Header header = Header.NONE;
    private char delimiter = ',';
    private String label = "-1";
    private boolean categorical = true;
    private List<String> classes = List.of();

    /** The defaults. */
    public static Options defaults() {
      return new Options();
    }

    /** What the first line is. */
    public Options header(Header value) {
      header = value;
      return this;
    }

    /** The field delimiter (for example {@code ','}, {@code ';'} or {@code '\t'}). */
    public Options delimiter(char value) {
      delimiter = value;
      return this;
    }

    /** The label column: an index (negative from the end) or, with {@link Header#NAMES}, a name. */
    public Options label(String value) {
      label = value;
      return this;
    }

    /** Whether the label is categorical (mapped to 0..k-1) or numeric (taken as given). */
    public Options categorical(boolean value) {
      categorical = value;
      return this;
    }

    /** Known classes, in order (indices 0..k-1); values not in the list are added after them. */
    public Options classes(List<String> value) {
      classes = List.copyOf(value);
      return this;
    }

    public Header header() {
      return header;
    }

    public char delimiter() {
      return delimiter;
    }

    public String label() {
      return label;
    }

    public boolean categorical() {
      return categorical;
    }

    public List<String> classes() {
      return classes;
    }
  }

  /**
   * A table read from a file: {@code rows × features} values in {@code x} (row-major), one label per
   * row in {@code y}; {@code classes} names the label values 0..k-1 of a categorical (or sklearn)
   * label and is empty for a numeric one.
   */
  public record Table(Path file, int rows, int features, float[] x, float[] y, List<String> featureNames,
      List<String> classes) {}

  /** Reads {@code file} with {@code options}. */
  public static Table read(Path file, Options options) throws IOException {
    try (BufferedReader reader = open(file)) {
      return new Parser(file, options).parse(reader);
    }
  }

  private static BufferedReader open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int a = in.read();
    int b = in.read();
    in.reset();
    if (a == 0x1F && b == 0x8B) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  private static final class Parser {
    private final Path file;
    private final Options options;
    private final char delimiter;
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private long line;

    Parser(Path file, Options options) {
      this.file = file;
      this.options = options;
      this.delimiter = options.delimiter();
    }

    private IOException error(String message) {
      return new IOException("CSV file " + file + ", line " + line + ": " + message);
    }

    Table parse(BufferedReader reader) throws IOException {
      List<String> names = null;
      List<String> classes = new ArrayList<>(options.classes());
      int expectedRows = -1;
      int expectedFeatures = -1;
      boolean sklearn = options.header() == Header.SKLEARN;
      String text;
      if (options.header() != Header.NONE) {
        text = nextLine(reader);
        if (text == null) {
          throw error("empty file, expected a header line");
        }
        split(text);
        if (sklearn) {
          if (fields.size() < 2) {
            throw error("scikit-learn header must be n_samples,n_features[,class names...], found: " + text);
          }
          try {
            expectedRows = Integer.parseInt(fields.get(0).trim());
            expectedFeatures = Integer.parseInt(fields.get(1).trim());
          } catch (NumberFormatException e) {
            throw error("scikit-learn header must start with n_samples,n_features, found: " + text);
          }
          if (classes.isEmpty()) {
            for (String c : fields.subList(2, fields.size())) {
              classes.add(c.trim());
            }
          }
        } else {
          names = new ArrayList<>();
          for (String f : fields) {
            names.add(f.trim());
          }
        }
      }
      Map<String, Integer> classIndex = new HashMap<>();
      for (int i = 0; i < classes.size(); i++) {
        classIndex.putIfAbsent(classes.get(i), i);
      }
      int columns = names == null ? -1 : names.size();
      int labelColumn = -1;
      float[] x = new float[1024];
      float[] y = new float[64];
      int rows = 0;
      int features = -1;
      boolean fixedClasses = sklearn && !classes.isEmpty();
      while ((text = nextLine(reader)) != null) {
        split(text);
        if (columns < 0) {
          columns = fields.size();
        }
        if (labelColumn < 0) {
          labelColumn = labelColumn(columns, names);
          features = columns - 1;
          if (sklearn && expectedFeatures != features) {
            throw error(columns + " columns, but the scikit-learn header says " + expectedFeatures
                + " features (and a label)");
          }
        }
        if (fields.size() != columns) {
          throw error(fields.size() + " columns, expected " + columns
              + (names != null ? " (as in the header)" : " (as in the first row)"));
        }
        if ((long) (rows + 1) * features > x.length) {
          x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) (rows + 1) * features, 2L * x.length)));
        }
        if (rows + 1 > y.length) {
          y = Arrays.copyOf(y, 2 * y.length);
        }
        int base = rows * features;
        for (int c = 0, j = 0; c < columns; c++) {
          String value = fields.get(c);
          if (c == labelColumn) {
            y[rows] = label(value, c, names, classes, classIndex, fixedClasses);
          } else {
            x[base + j++] = number(value, c, names);
          }
        }
        rows++;
      }
      if (rows == 0) {
        throw error("no data rows");
      }
      if (sklearn && expectedRows != rows) {
        throw error("end of file after " + rows + " rows, but the scikit-learn header says " + expectedRows);
      }
      List<String> featureNames = new ArrayList<>();
      for (int c = 0; c < columns; c++) {
        if (c != labelColumn) {
          featureNames.add(names != null ? names.get(c) : "x" + c);
        }
      }
      boolean categorical = options.categorical() || sklearn;
      return new Table(file, rows, features, Arrays.copyOf(x, rows * features), Arrays.copyOf(y, rows),
          List.copyOf(featureNames), categorical ? List.copyOf(classes) : List.of());
    }

    private String nextLine(BufferedReader reader) throws IOException {
      String text;
      while ((text = reader.readLine()) != null) {
        line++;
        if (!text.isBlank()) {
          return text;
        }
      }
      return null;
    }

    private int labelColumn(int columns, List<String> names) throws IOException {
      String spec = options.label().trim();
      int index;
      try {
        index = Integer.parseInt(spec);
      } catch (NumberFormatException e) {
        if (names == null) {
          throw new IOException("CSV file " + file + ": the label column \"" + spec
              + "\" is a name, but the file has no header with column names (use an index, or header: names)");
        }
        index = names.indexOf(spec);
        if (index < 0) {
          throw new IOException("CSV file " + file + ": no column named \"" + spec + "\" in the header " + names);
        }
        return index;
      }
      int resolved = index < 0 ? columns + index : index;
      if (resolved < 0 || resolved >= columns) {
        throw new IOException("CSV file " + file + ": label column " + index + " is outside the " + columns + " columns");
      }
      if (columns < 2) {
        throw new IOException("CSV file " + file + ": " + columns + " column, need at least one feature and a label");
      }
      return resolved;
    }

    private String column(int c, List<String> names) {
      return "column " + (c + 1) + (names != null ? " (\"" + names.get(c) + "\")" : "");
    }

    private float number(String value, int c, List<String> names) throws IOException {
      String v = value.trim();
      if (v.isEmpty()) {
        throw error(column(c, names) + ": empty value, expected a number");
      }
      try {
        return Float.parseFloat(v);
      } catch (NumberFormatException e) {
        throw error(column(c, names) + ": \"" + value + "\" is not a number");
      }
    }

    private float label(String value, int c, List<String> names, List<String> classes, Map<String, Integer> index,
        boolean fixed) throws IOException {
      String v = value.trim();
      if (fixed) {
        // scikit-learn: integer labels indexing the header's class names.
        try {
          int k = Integer.parseInt(v);
          if (k < 0 || k >= classes.size()) {
            throw error(column(c, names) + ": label " + k + " is outside the header's " + classes.size() + " classes "
                + classes);
          }
          return k;
        } catch (NumberFormatException e) {
          throw error(column(c, names) + ": \"" + value + "\" is not a class number");
        }
      }
      if (!options.categorical()) {
        return number(value, c, names);
      }
      if (v.isEmpty()) {
        throw error(column(c, names) + ": empty label");
      }
      Integer k = index.get(v);
      if (k == null) {
        k = classes.size();
        classes.add(v);
        index.put(v, k);
      }
      return k;
    }

    /** Splits a line at the delimiter; double-quoted fields may hold the delimiter and "" for a quote. */
    private void split(String text) throws IOException {
      fields.clear();
      if (text.indexOf('"') < 0) {
        int from = 0;
        int at;
        while ((at = text.indexOf(delimiter, from)) >= 0) {
          fields.add(text.substring(from, at));
          from = at + 1;
        }
        fields.add(text.substring(from));
        return;
      }
      field.setLength(0);
      boolean quoted = false;
      for (int i = 0; i < text.length(); i++) {
        char ch = text.charAt(i);
        if (quoted) {
          if (ch == '"') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
              field.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            field.append(ch);
          }
        } else if (ch == '"') {
          quoted = true;
        } else if (ch == delimiter) {
          fields.add(field.toString());
          field.setLength(0);
        } else {
          field.append(ch);
        }
      }
      if (quoted) {
        throw error("a quoted field is not closed");
      }
      fields.add(field.toString());
    }
  }
}
