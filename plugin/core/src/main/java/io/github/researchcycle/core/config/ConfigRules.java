package io.github.researchcycle.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.ConfigBinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ranges of the config keys that the runtime itself reads (batch, epochs, learning rate, data
 * size and validation fraction), checked when an experiment is resolved: before any run folder, and
 * again in the training JVM. One rule per key, kept as data here; the message names the file and
 * line that set the value (or the override) and the fix.
 */
public final class ConfigRules {
  /**
   * One key's rule.
   *
   * @param key the dotted key
   * @param kind {@code int} (a whole number) or {@code number}
   * @param min the smallest value allowed
   * @param minInclusive whether {@code min} itself is allowed
   * @param max the largest value allowed, or null
   * @param meaning what the value is, for the message
   */
  public record Rule(String key, String kind, double min, boolean minInclusive, Double max, String meaning) {}

  /** The rules of the runtime's own keys. */
  public static final List<Rule> RULES = List.of(
      new Rule("training.batch", "int", 1, true, null, "examples per optimizer step"),
      new Rule("training.epochs", "int", 1, true, null, "passes over the training data"),
      new Rule("optimizer.lr", "number", 0, false, null, "the learning rate"),
      new Rule("data.samples", "int", 1, true, null, "examples the data set generates"),
      new Rule("data.validation", "number", 0, true, 0.999999, "the fraction of the training data held out "
          + "for validation (0 for none)"),
      new Rule("data.limit", "int", 0, true, null, "training examples used, 0 for all"),
      new Rule("data.fold", "int", 0, true, null, "the fold held out, from 0"),
      new Rule("optimizer.momentum", "number", 0, true, 0.999999, "sgd's momentum"),
      new Rule("optimizer.weightDecay", "number", 0, true, null, "the weight decay"),
      new Rule("optimizer.decayEvery", "int", 1, true, null, "epochs between step decays"));

  private ConfigRules() {}

  /**
   * Checks {@code values} against {@link #RULES}.
   *
   * @param where names where a key was set: the file and line, or the override
   */
  public static void check(JsonNode values, java.util.function.Function<String, String> where) {
    for (Rule r : RULES) {
      JsonNode node = at(values, r.key());
      if (node == null || node.isNull()) {
        continue;
      }
      String problem = problem(r, node);
      if (problem != null) {
        throw new ResearchException(where.apply(r.key()) + ": `" + r.key() + "` " + problem + ", found "
            + node.asText() + ". Fix: " + r.meaning() + ", " + range(r) + ".");
      }
    }
    for (Map.Entry<String, List<String>> c : ConfigBinding.CHOICES.entrySet()) {
      JsonNode node = at(values, c.getKey());
      if (node != null && !node.isNull() && !c.getValue().contains(node.asText().toLowerCase(Locale.ROOT))) {
        throw new ResearchException(where.apply(c.getKey()) + ": `" + c.getKey() + "` is `" + node.asText()
            + "`, which the runtime does not offer. Fix: one of " + String.join(", ", c.getValue()) + ".");
      }
    }
  }

  private static String problem(Rule r, JsonNode node) {
    if (!node.isNumber()) {
      return "must be " + (r.kind().equals("int") ? "a whole number" : "a number");
    }
    if (r.kind().equals("int") && !node.canConvertToLong()) {
      return "must be a whole number";
    }
    if (r.kind().equals("int") && !node.isIntegralNumber()) {
      return "must be a whole number";
    }
    double v = node.asDouble();
    if (!Double.isFinite(v) || (r.minInclusive() ? v < r.min() : v <= r.min())
        || r.max() != null && v > r.max()) {
      return "is out of range";
    }
    return null;
  }

  private static String range(Rule r) {
    String low = (r.minInclusive() ? "at least " : "above ") + number(r.min());
    return r.max() == null ? low : low + " and below 1";
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }

  private static JsonNode at(JsonNode tree, String dotted) {
    JsonNode n = tree;
    for (String part : dotted.split("\\.")) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(part);
    }
    return n;
  }

  /** Where a key was set in an experiment chain: the override, else the first file (the experiment's own first) that has it. */
  static String where(Path root, List<Path> chain, List<String> overrides, String key) {
    for (int i = overrides.size() - 1; i >= 0; i--) {
      if (overrides.get(i).startsWith(key + "=")) {
        return "-Dresearch.set=" + overrides.get(i);
      }
    }
    for (Path file : chain) {
      if (YamlFiles.lineOf(file, key) > 0) {
        return YamlFiles.at(root, file, key);
      }
    }
    return YamlFiles.display(root, chain.get(0));
  }
}
