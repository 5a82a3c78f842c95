package io.github.researchcycle.core.sweep;

import io.github.researchcycle.core.ResearchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A sweep's grid, {@code -Dresearch.grid="optimizer.lr=0.001,0.003;model.hidden=64,128"}: config
 * keys separated by {@code ;}, each with its values separated by {@code ,}. Its points are every
 * combination, the first key varying slowest.
 *
 * @param axes the keys with their values, in the order given
 */
public record Grid(List<Axis> axes) {

  /**
   * One key of the grid.
   *
   * @param key a dotted config key the experiment declares
   * @param values its values, as typed on the command line
   */
  public record Axis(String key, List<String> values) {}

  /** Parses the grid; every mistake is one message naming the property and the fix. */
  public static Grid parse(String text) {
    String fix = " Fix: write it as -Dresearch.grid=\"key=v1,v2;other.key=v3,v4\".";
    if (text == null || text.isBlank()) {
      throw new ResearchException("-Dresearch.grid is empty: a sweep needs at least one key with values." + fix);
    }
    List<Axis> axes = new ArrayList<>();
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new ResearchException("-Dresearch.grid: `" + part.trim() + "` has no `key=`." + fix);
      }
      String key = part.substring(0, eq).trim();
      if (seen.put(key, true) != null) {
        throw new ResearchException("-Dresearch.grid: `" + key + "` appears twice. Fix: list all its values once, "
            + "separated by commas.");
      }
      LinkedHashSet<String> values = new LinkedHashSet<>();
      for (String v : part.substring(eq + 1).split(",")) {
        if (v.isBlank()) {
          throw new ResearchException("-Dresearch.grid: `" + key + "` has an empty value." + fix);
        }
        if (!values.add(v.trim())) {
          throw new ResearchException("-Dresearch.grid: `" + key + "` lists `" + v.trim() + "` twice. Fix: "
              + "list each value once.");
        }
      }
      axes.add(new Axis(key, List.copyOf(values)));
    }
    if (axes.isEmpty()) {
      throw new ResearchException("-Dresearch.grid=\"" + text + "\" names no key." + fix);
    }
    return new Grid(List.copyOf(axes));
  }

  /** Every combination of the values, the first key varying slowest; each maps key to value. */
  public List<Map<String, String>> points() {
    List<Map<String, String>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (Axis axis : axes) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> p : points) {
        for (String v : axis.values()) {
          Map<String, String> q = new LinkedHashMap<>(p);
          q.put(axis.key(), v);
          next.add(q);
        }
      }
      points = next;
    }
    return points.stream().map(Map::copyOf).map(m -> {
      Map<String, String> ordered = new LinkedHashMap<>();
      axes.forEach(a -> ordered.put(a.key(), m.get(a.key())));
      return ordered;
    }).toList();
  }

  /** The grid as one canonical line: {@code key=v1,v2;key2=v3}. */
  public String canonical() {
    StringBuilder b = new StringBuilder();
    for (Axis a : axes) {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(a.key()).append('=').append(String.join(",", a.values()));
    }
    return b.toString();
  }
}
