package io.github.researchcycle.core.publish;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** Where two files first differ, said so that a person can find it: a line of text, or a byte offset. */
final class Differences {
  private static final int SHOWN = 60;

  private Differences() {}

  /**
   * Null when {@code committed} and {@code rendered} are the same bytes; else, for text, "line N,
   * column C: committed '…', rendered '…'" (60 characters of each line around the first difference),
   * for other content the first byte offset and both sizes.
   */
  static String first(byte[] committed, byte[] rendered) {
    if (Arrays.equals(committed, rendered)) {
      return null;
    }
    if (!text(committed) || !text(rendered)) {
      return String.format(Locale.ROOT, "from byte %d; %d bytes committed, %d rendered",
          Arrays.mismatch(committed, rendered), committed.length, rendered.length);
    }
    String[] a = new String(committed, StandardCharsets.UTF_8).split("\n", -1);
    String[] b = new String(rendered, StandardCharsets.UTF_8).split("\n", -1);
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (!a[i].equals(b[i])) {
        int column = column(a[i], b[i]);
        return "line " + (i + 1) + ", column " + (column + 1) + ": committed '" + around(a[i], column)
            + "', rendered '" + around(b[i], column) + "'";
      }
    }
    return a.length < b.length ? "the committed file ends at line " + a.length + ", the rendering goes on"
        : "the rendering ends at line " + b.length + ", the committed file goes on";
  }

  private static boolean text(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return false;
      }
    }
    return true;
  }

  /** The index of the first character where the lines differ. */
  private static int column(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      if (a.charAt(i) != b.charAt(i)) {
        return i;
      }
    }
    return n;
  }

  /** At most 60 characters of {@code line}, starting a little before {@code column}, with … where cut. */
  private static String around(String line, int column) {
    int from = Math.max(0, Math.min(column - SHOWN / 3, line.length() - SHOWN));
    int to = Math.min(line.length(), from + SHOWN);
    String shown = (from > 0 ? "…" : "") + line.substring(from, to) + (to < line.length() ? "…" : "");
    return shown.replace("\r", "\\r");
  }
}
