package io.github.researchcycle.core.config;

import io.github.researchcycle.model.DidYouMean;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.ConfigBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Resolves {@code experiments/NAME.yaml}: follows {@code extends}, applies command-line overrides,
 * checks every key against the root experiment, and hashes the result.
 *
 * <p>The rule that keeps configs diffable: the root experiment (the one that extends nothing)
 * declares every key; other experiments and overrides may only change values, with the same type.
 * A key that is not declared is a typo until proven otherwise.
 */
public final class ExperimentResolver {
  /** Keys with a meaning to the tool itself, allowed in every experiment file. */
  public static final Set<String> RESERVED = Set.of("extends", "description", "main",
      ConfigBinding.RECORD_KEY);

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private final Path root;

  /** A resolver for the research repository at {@code root}. */
  public ExperimentResolver(Path root) {
    this.root = root;
  }

  /** The directory holding the experiment files. */
  public Path experimentsDir() {
    return root.resolve("experiments");
  }

  /** The names of the experiments in this repository, sorted. */
  public List<String> experimentNames() {
    try (Stream<Path> files = Files.list(experimentsDir())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Resolves an experiment with the given overrides ({@code key=value} strings, in order). */
  public ResolvedConfig resolve(String experiment, List<String> overrides) {
    List<Path> chain = chain(experiment);
    Path rootFile = chain.get(chain.size() - 1);
    ObjectNode merged = (ObjectNode) YamlFiles.readTree(root, rootFile).deepCopy();
    checkReservedTypes(rootFile, merged);
    for (int i = chain.size() - 2; i >= 0; i--) {
      Path file = chain.get(i);
      JsonNode layer = YamlFiles.readTree(root, file);
      checkReservedTypes(file, layer);
      merge(merged, layer, "", file, rootFile);
    }
    merged.remove("extends");
    List<String> applied = new ArrayList<>();
    for (String override : overrides) {
      applyOverride(merged, override, rootFile);
      applied.add(override);
    }
    List<String> appliedSoFar = List.copyOf(applied);
    ConfigRules.check(merged, key -> ConfigRules.where(root, chain, appliedSoFar, key));
    JsonNode main = merged.get("main");
    String mainClass = main == null ? null : main.asText();
    if (mainClass == null || mainClass.isBlank()) {
      throw new ResearchException(
          YamlFiles.display(root, rootFile) + ": no `main` key. Fix: add `main: your.package.Train`, "
              + "the class whose main method trains the model.");
    }
    List<String> sources = chain.stream().map(p -> YamlFiles.display(root, p)).toList();
    return new ResolvedConfig(experiment, merged, hash(merged), sources, List.copyOf(applied), mainClass);
  }

  /** {@code sha256:HEX} of the canonical (key-sorted, compact) JSON of a config tree. */
  public static String hash(JsonNode values) {
    try {
      Object plain = CANONICAL.treeToValue(values, Object.class);
      byte[] canonical = CANONICAL.writeValueAsString(sortDeep(plain)).getBytes(StandardCharsets.UTF_8);
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a config tree", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object sortDeep(Object o) {
    if (o instanceof Map<?, ?> m) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      ((Map<String, Object>) m).forEach((k, v) -> sorted.put(k, sortDeep(v)));
      return sorted;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(ExperimentResolver::sortDeep).toList();
    }
    return o;
  }

  /** The experiment's file, then its parent's, up to the root experiment. */
  private List<Path> chain(String experiment) {
    List<Path> chain = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String name = experiment;
    Path from = null;
    while (name != null) {
      if (!seen.add(name)) {
        throw new ResearchException(
            YamlFiles.at(root, from, "extends") + ": `extends` makes a cycle: "
                + String.join(" -> ", seen) + " -> " + name + ". Fix: make one of them extend nothing.");
      }
      Path file = experimentsDir().resolve(name + ".yaml");
      if (!validName(name) || !Files.isRegularFile(file)) {
        List<String> known = experimentNames();
        String where = from == null ? "" : YamlFiles.at(root, from, "extends") + ": ";
        throw new ResearchException(
            where + "experiments/" + name + ".yaml: no such experiment" + DidYouMean.hint(name, known)
                + ". Experiments here: " + (known.isEmpty() ? "none" : String.join(", ", known))
                + ". Fix: create experiments/" + name + ".yaml or choose one with -Dresearch.experiment=NAME.");
      }
      chain.add(file);
      JsonNode tree = YamlFiles.readTree(root, file);
      JsonNode ext = tree.get("extends");
      from = file;
      name = ext == null || ext.isNull() ? null : ext.asText();
    }
    return chain;
  }

  private static boolean validName(String name) {
    return !name.isBlank() && !name.contains("/") && !name.contains("\\") && !name.startsWith(".");
  }

  private void checkReservedTypes(Path file, JsonNode tree) {
    for (String key : RESERVED) {
      JsonNode v = tree.get(key);
      if (v != null && !v.isNull() && !v.isTextual()) {
        throw new ResearchException(
            YamlFiles.at(root, file, key) + ": `" + key + "` must be a text value. Fix the value in "
                + YamlFiles.display(root, file) + ".");
      }
    }
  }

  private void merge(ObjectNode base, JsonNode layer, String prefix, Path file, Path rootFile) {
    Iterator<Map.Entry<String, JsonNode>> fields = layer.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = prefix + f.getKey();
      if (prefix.isEmpty() && RESERVED.contains(f.getKey())) {
        base.set(f.getKey(), f.getValue());
        continue;
      }
      JsonNode existing = base.get(f.getKey());
      if (existing == null) {
        throw new ResearchException(
            YamlFiles.at(root, file, key) + ": unknown key `" + key + "`"
                + DidYouMean.hint(key, leafKeys(rootTree(base, prefix), ""))
                + ". Every key must be declared in the root experiment "
                + YamlFiles.display(root, rootFile) + "; fix the name, or declare it there with its default.");
      }
      if (existing.isObject() && f.getValue().isObject()) {
        merge((ObjectNode) existing, f.getValue(), key + ".", file, rootFile);
      } else {
        String problem = typeProblem(existing, f.getValue());
        if (problem != null) {
          throw new ResearchException(
              YamlFiles.at(root, file, key) + ": `" + key + "` " + problem + " (as declared in "
                  + YamlFiles.display(root, rootFile) + "). Fix the value.");
        }
        base.set(f.getKey(), f.getValue());
      }
    }
  }

  private ObjectNode rootTree(ObjectNode base, String prefix) {
    // base is the sub-tree at prefix; rebuild a tree with full keys for the suggestions.
    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
    if (prefix.isEmpty()) {
      return base;
    }
    String[] parts = prefix.substring(0, prefix.length() - 1).split("\\.");
    ObjectNode cur = wrapper;
    for (int i = 0; i < parts.length - 1; i++) {
      cur = cur.putObject(parts[i]);
    }
    cur.set(parts[parts.length - 1], base);
    return wrapper;
  }

  /** Every dotted leaf key of a tree, reserved keys excluded. */
  public static List<String> leafKeys(JsonNode tree, String prefix) {
    List<String> keys = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (prefix.isEmpty() && RESERVED.contains(f.getKey())) {
        continue;
      }
      if (f.getValue().isObject() && f.getValue().size() > 0) {
        keys.addAll(leafKeys(f.getValue(), prefix + f.getKey() + "."));
      } else {
        keys.add(prefix + f.getKey());
      }
    }
    return keys;
  }

  /** Null when {@code value} may replace {@code declared}, else what is wrong. */
  static String typeProblem(JsonNode declared, JsonNode value) {
    if (declared.isNull() || value.isNull()) {
      return null;
    }
    if (declared.isObject() != value.isObject()) {
      return declared.isObject() ? "is a section with keys below it, not a single value" : "is a single value, not a section";
    }
    if (declared.isIntegralNumber()) {
      return value.isIntegralNumber() ? null : "must be a whole number, found `" + value.asText() + "`";
    }
    if (declared.isNumber()) {
      return value.isNumber() ? null : "must be a number, found `" + value.asText() + "`";
    }
    if (declared.isBoolean()) {
      return value.isBoolean() ? null : "must be true or false, found `" + value.asText() + "`";
    }
    if (declared.isArray()) {
      return value.isArray() ? null : "must be a list, found `" + value.asText() + "`";
    }
    if (declared.isTextual()) {
      return value.isValueNode() ? null : "must be a text value";
    }
    return null;
  }

  private void applyOverride(ObjectNode config, String override, Path rootFile) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ResearchException(
          "-Dresearch.set: `" + override + "` is not `key=value`. Fix: write it like "
              + "-Dresearch.set=optimizer.lr=0.003,model.hidden=256.");
    }
    String key = override.substring(0, eq).trim();
    String raw = override.substring(eq + 1).trim();
    String[] parts = key.split("\\.");
    JsonNode parent = config;
    for (int i = 0; i < parts.length - 1 && parent != null; i++) {
      parent = parent.get(parts[i]);
    }
    String leaf = parts[parts.length - 1];
    JsonNode declared = parent == null || !parent.isObject() ? null : parent.get(leaf);
    if (declared == null || (parts.length == 1 && RESERVED.contains(leaf) && !"main".equals(leaf))) {
      throw new ResearchException(
          "-Dresearch.set: unknown key `" + key + "`" + DidYouMean.hint(key, leafKeys(config, ""))
              + ". Keys of this experiment: " + String.join(", ", leafKeys(config, ""))
              + ". Fix the name, or declare the key in " + YamlFiles.display(root, rootFile) + ".");
    }
    JsonNode value = parseScalar(raw);
    String problem = typeProblem(declared, value);
    if (problem != null) {
      throw new ResearchException("-Dresearch.set: `" + key + "` " + problem + ". Fix the value in -Dresearch.set.");
    }
    ((ObjectNode) parent).set(leaf, value);
  }

  /** Parses an override value as YAML would: numbers, booleans, null, else text. */
  static JsonNode parseScalar(String raw) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (raw.equals("true") || raw.equals("false")) {
      return f.booleanNode(Boolean.parseBoolean(raw));
    }
    if (raw.equals("null") || raw.equals("~")) {
      return f.nullNode();
    }
    if (raw.matches("[-+]?\\d+")) {
      try {
        return f.numberNode(Long.parseLong(raw));
      } catch (NumberFormatException e) {
        return f.textNode(raw);
      }
    }
    if (raw.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
      return f.numberNode(Double.parseDouble(raw));
    }
    if (raw.length() >= 2 && (raw.startsWith("\"") && raw.endsWith("\"") || raw.startsWith("'") && raw.endsWith("'"))) {
      return f.textNode(raw.substring(1, raw.length() - 1));
    }
    return f.textNode(raw);
  }

  /**
   * Splits {@code -Dresearch.set} into overrides: commas separate them, except a comma followed by
   * text without {@code =} (which belongs to the previous value).
   */
  public static List<String> splitOverrides(String set) {
    List<String> out = new ArrayList<>();
    if (set == null || set.isBlank()) {
      return out;
    }
    for (String piece : set.split(",")) {
      if (!out.isEmpty() && !piece.contains("=")) {
        out.set(out.size() - 1, out.get(out.size() - 1) + "," + piece);
      } else if (!piece.isBlank()) {
        out.add(piece.trim());
      }
    }
    return out;
  }
}
