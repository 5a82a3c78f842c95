package io.github.researchcycle.core.ledger;

import io.github.researchcycle.core.descriptor.Descriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The fields of research.yaml that the verdict depends on, as text by name: what the ledger
 * registers, and how two versions of the claim are compared.
 */
public final class ClaimFields {
  private ClaimFields() {}

  /** The judged fields of {@code d}; an absent field is left out. */
  public static Map<String, String> of(Descriptor d) {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "metric.name", d.metric() == null ? null : d.metric().name());
    put(m, "metric.goal", d.metric() == null || d.metric().goal() == null ? null
        : d.metric().goal().name().toLowerCase(Locale.ROOT));
    put(m, "baseline", d.baseline());
    put(m, "method", d.method());
    put(m, "seeds", d.seeds());
    Descriptor.Claim c = d.claim();
    if (c != null) {
      put(m, "claim.type", c.type() == null ? null : c.type().name().toLowerCase(Locale.ROOT));
      put(m, "claim.reported", c.reported());
      put(m, "claim.tolerance", c.tolerance());
      put(m, "claim.margin", c.margin());
      put(m, "claim.statement", c.statement());
    }
    return m;
  }

  /** Each field that differs, as {@code field: before -> now}, in a stable order. */
  public static List<String> changes(Map<String, String> before, Map<String, String> now) {
    List<String> out = new ArrayList<>();
    LinkedHashMap<String, String> keys = new LinkedHashMap<>(before);
    now.forEach(keys::putIfAbsent);
    for (String k : keys.keySet()) {
      String a = before.get(k);
      String b = now.get(k);
      if (!Objects.equals(a, b)) {
        out.add(k + ": " + (a == null ? "(none)" : a) + " -> " + (b == null ? "(none)" : b));
      }
    }
    return out;
  }

  private static void put(Map<String, String> m, String key, Object value) {
    if (value != null) {
      m.put(key, value.toString());
    }
  }
}
