package io.github.researchcycle.core.git;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The git command that commits a list of changed files, untracked run records included, ready to paste. */
public final class CommitFix {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/@+-]+");

  private CommitFix() {}

  /**
   * {@code git add PATHS && git commit -m "MESSAGE"}: each changed file is named by its top-level
   * entry (runs/ID/run.json by runs), so new files are added too, which {@code git commit -am} misses.
   */
  public static String command(List<String> changed, String message) {
    TreeSet<String> tops = new TreeSet<>();
    for (String path : changed) {
      String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      int slash = p.indexOf('/');
      tops.add(slash < 0 ? p : p.substring(0, slash));
    }
    StringBuilder out = new StringBuilder("git add");
    for (String top : tops) {
      out.append(' ').append(quoted(top));
    }
    return out.append(" && git commit -m \"").append(message.replace("\"", "'")).append('"').toString();
  }

  private static String quoted(String path) {
    return PLAIN.matcher(path).matches() ? path : "'" + path.replace("'", "'\\''") + "'";
  }

  /** "1 gate" or "3 gates". */
  public static String gates(int n) {
    return String.format(Locale.ROOT, "%d gate%s", n, n == 1 ? "" : "s");
  }
}
