package io.github.researchcycle.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Suggests the closest known name for a mistyped key ("did you mean ...?"). */
public final class DidYouMean {
  private DidYouMean() {}

  /**
   * Returns the known names close enough to {@code typed} to be a likely typo, best first (at most
   * three).
   */
  public static List<String> suggestions(String typed, Collection<String> known) {
    String t = typed.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, t.length() / 3);
    return known.stream()
        .map(k -> new Scored(k, distance(t, k.toLowerCase(Locale.ROOT))))
        .filter(s -> s.distance <= limit || lastSegment(s.name).equalsIgnoreCase(lastSegment(typed)))
        .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
        .limit(3)
        .map(Scored::name)
        .toList();
  }

  /** Returns " (did you mean `a`?)" or "" when nothing is close, for appending to a message. */
  public static String hint(String typed, Collection<String> known) {
    List<String> s = suggestions(typed, known);
    if (s.isEmpty()) {
      return "";
    }
    return " (did you mean " + String.join(" or ", s.stream().map(x -> "`" + x + "`").toList()) + "?)";
  }

  private static String lastSegment(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? key : key.substring(dot + 1);
  }

  /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private record Scored(String name, int distance) {}
}
