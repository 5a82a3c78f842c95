package io.github.researchcycle.core.publish;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** Where two files first differ, said so that a person can find it: a line of text, or a byte offset. */
final class Differences {
  private static final int SHOWN = 60;

  private Differences() {}

  /**
   * Null when {@code committed} and {@code rendered} are the same bytes; else, for text, "line N:
   * committed '…', rendered '…'" (each cut to 60 characters), for other content the first byte
   * offset and both sizes.
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
        return "line " + (i + 1) + ": committed '" + cut(a[i]) + "', rendered '" + cut(b[i]) + "'";
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

  private static String cut(String line) {
    String l = line.replace("\r", "\\r");
    return l.length() <= SHOWN ? l : l.substring(0, SHOWN) + "…";
  }
}
