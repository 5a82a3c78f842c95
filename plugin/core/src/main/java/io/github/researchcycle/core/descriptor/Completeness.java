package io.github.researchcycle.core.descriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * Which fields of {@code research.yaml} the pre-registration still lacks: blank ones, and ones that
 * still hold a placeholder starting with {@code TODO}, as the archetype writes its example question,
 * hypothesis and claim statement, so that the template's text never passes as a pre-registration.
 */
public final class Completeness {
  private Completeness() {}

  /** The dotted names of the required fields that are missing or blank; empty when complete. */
  public static List<String> missing(Descriptor d) {
    List<String> missing = new ArrayList<>();
    blank(missing, "title", d.title());
    blank(missing, "question", d.question());
    blank(missing, "hypothesis", d.hypothesis());
    if (d.paper() == null) {
      missing.add("paper.citation");
    } else {
      blank(missing, "paper.citation", d.paper().citation());
    }
    if (d.metric() == null) {
      missing.add("metric.name");
      missing.add("metric.goal");
    } else {
      blank(missing, "metric.name", d.metric().name());
      if (d.metric().goal() == null) {
        missing.add("metric.goal");
      }
    }
    blank(missing, "method", d.method());
    if (d.claim() == null || d.claim().type() == null) {
      missing.add("claim.type");
    } else if (d.claim().type() == Descriptor.ClaimType.IMPROVE) {
      blank(missing, "baseline", d.baseline());
      if (d.claim().margin() == null) {
        missing.add("claim.margin");
      }
    } else {
      if (d.claim().reported() == null) {
        missing.add("claim.reported");
      }
      if (d.claim().tolerance() == null) {
        missing.add("claim.tolerance");
      }
    }
    // The statement may be left out; written, it must not be the template's placeholder.
    if (d.claim() != null && d.claim().statement() != null && placeholder(d.claim().statement())) {
      missing.add("claim.statement");
    }
    return missing;
  }

  private static void blank(List<String> missing, String name, String value) {
    if (value == null || value.isBlank() || placeholder(value)) {
      missing.add(name);
    }
  }

  /** Whether a value is a placeholder still to be replaced: it starts with {@code TODO}. */
  static boolean placeholder(String value) {
    return value.strip().startsWith("TODO");
  }
}
