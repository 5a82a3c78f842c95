package io.github.researchcycle.core.launch;

import java.util.Locale;

/**
 * Names that a scheduler or a cloud accepts (a Kubernetes Job, a TPU VM), made from any experiment
 * name and a run id: lower-case letters, digits and single dashes, within a length. The name the
 * researcher chose is kept elsewhere as it is (an annotation, the run record); these names only
 * have to be valid, recognisable and unique (the run id makes them so).
 */
public final class Names {
  private Names() {}

  /**
   * A DNS-1123 label of at most {@code max} characters: {@code experiment} reduced to lower-case
   * letters, digits and dashes, then a dash and {@code runId}. The experiment part is shortened
   * first; it is dropped when the run id alone fills the name. {@code prefix} (may be empty) starts
   * the name when it must begin with a letter.
   */
  public static String label(String prefix, String experiment, String runId, int max) {
    String id = slug(runId);
    String start = slug(prefix);
    String base = slug(experiment);
    if (!start.isEmpty() && !base.isEmpty()) {
      base = start + "-" + base;
    } else if (base.isEmpty()) {
      base = start;
    }
    int room = max - id.length() - 1;
    if (room <= 0 || base.isEmpty()) {
      return trim(start.isEmpty() ? id : start + "-" + id, max);
    }
    base = trim(base, room);
    return base.isEmpty() ? id : base + "-" + id;
  }

  /** A Kubernetes Job name (DNS-1123 label, at most 56 characters, so that pod host names with an index fit). */
  public static String job(String experiment, String runId) {
    return label("", experiment, runId, 56);
  }

  /** A TPU VM name: starts with a letter, lower-case letters, digits and dashes, at most 63 characters. */
  public static String tpuVm(String experiment, String runId) {
    return label("rc", experiment, runId, 63);
  }

  /** Lower-case letters, digits and single dashes, no dash at either end. */
  static String slug(String s) {
    String lower = (s == null ? "" : s).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return lower.replaceAll("^-+|-+$", "");
  }

  private static String trim(String s, int max) {
    String cut = s.length() <= max ? s : s.substring(0, max);
    return cut.replaceAll("-+$", "");
  }
}
