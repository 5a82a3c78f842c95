package io.github.researchcycle.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Binds an experiment's resolved config to the researcher's own Java record (for example
 * {@code Hyper h = run.config(Hyper.class)}) and checks the two against each other: every key of the
 * config is read by a record component or by the runtime itself ({@link #RUNTIME_KEYS}), and every
 * record component has a value. The Maven side runs the same check before the training JVM starts.
 *
 * <p>A component whose type is a record binds a sub-tree ({@code model: {hidden: 64}} to
 * {@code record Model(int hidden)}); any other type (number, text, boolean, list, map) is one key.
 */
public final class ConfigBinding {
  /** The experiment key naming the record class, checked before the training JVM starts. */
  public static final String RECORD_KEY = "hyper";

  /**
   * The keys the runtime reads itself (data, optimizer, training, the experiment's own keys): they
   * need no record component, and a record may still read them.
   */
  public static final Map<String, String> RUNTIME_KEYS = Map.ofEntries(
      Map.entry("main", "the training class"),
      Map.entry("description", "what the experiment is"),
      Map.entry("extends", "the experiment this one changes"),
      Map.entry(RECORD_KEY, "the record the config binds to"),
      Map.entry("data.name", "the data set: data/NAME.yaml"),
      Map.entry("data.validation", "the fraction of the training data held out (overrides the manifest)"),
      Map.entry("data.splitSeed", "the seed of that split (overrides the manifest)"),
      Map.entry("data.fold", "the fold used for validation when the manifest declares folds"),
      Map.entry("data.limit", "training examples used, 0 for all"),
      Map.entry("data.file", "unused: the manifest's splits name the files"),
      Map.entry("optimizer.name", "adam, adamw, sgd"),
      Map.entry("optimizer.lr", "the learning rate"),
      Map.entry("optimizer.momentum", "sgd's momentum"),
      Map.entry("optimizer.weightDecay", "the weight decay"),
      Map.entry("optimizer.schedule", "constant, cosine or step"),
      Map.entry("optimizer.decayEvery", "epochs between step decays"),
      Map.entry("optimizer.decayFactor", "the factor of a step decay"),
      Map.entry("training.epochs", "passes over the training data"),
      Map.entry("training.batch", "examples per optimizer step"));

  /** The keys of {@link #RUNTIME_KEYS} that take one of a few names, with those names. */
  public static final Map<String, List<String>> CHOICES = Map.of(
      "optimizer.name", List.of("adam", "adamw", "sgd"),
      "optimizer.schedule", List.of("constant", "cosine", "step"));

  private static final ObjectMapper STRICT = Json.mapper().copy()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
      .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true);

  private ConfigBinding() {}

  /** The dotted keys that the record's components read, sub-records expanded. */
  public static Set<String> keysOf(Class<?> type) {
    return componentsOf(type).keySet();
  }

  /** The leaf components of the record by dotted key, sub-records expanded. */
  public static Map<String, Class<?>> componentsOf(Class<?> type) {
    Map<String, Class<?>> keys = new TreeMap<>();
    collect(type, "", keys, new ArrayList<>());
    return keys;
  }

  private static void collect(Class<?> type, String prefix, Map<String, Class<?>> keys, List<Class<?>> path) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record");
    }
    if (path.contains(type)) {
      throw new IllegalArgumentException(type.getName() + " contains itself");
    }
    path.add(type);
    for (RecordComponent c : type.getRecordComponents()) {
      String key = prefix + c.getName();
      if (c.getType().isRecord()) {
        collect(c.getType(), key + ".", keys, path);
      } else {
        keys.put(key, c.getType());
      }
    }
    path.remove(type);
  }

  /** The dotted keys of a config tree's leaves (an object value is a sub-tree; anything else a leaf). */
  public static Set<String> keysOf(JsonNode tree) {
    Set<String> keys = new TreeSet<>();
    leaves(tree, "", keys);
    return keys;
  }

  private static void leaves(JsonNode node, String prefix, Set<String> keys) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = prefix + f.getKey();
      if (f.getValue().isObject() && f.getValue().size() > 0) {
        leaves(f.getValue(), key + ".", keys);
      } else {
        keys.add(key);
      }
    }
  }

  /**
   * What does not fit: config keys no component and not the runtime reads, and components the config
   * lacks. Empty when the two agree.
   */
  public static List<Mismatch> check(JsonNode config, Class<?> type) {
    Map<String, Class<?>> components = componentsOf(type);
    Set<String> read = components.keySet();
    Set<String> given = keysOf(config);
    List<Mismatch> out = new ArrayList<>();
    for (String key : given) {
      if (!read.contains(key) && !RUNTIME_KEYS.containsKey(key) && read.stream().noneMatch(r -> key.startsWith(r + "."))) {
        out.add(new Mismatch(key, Mismatch.Kind.UNREAD, nearest(key, read)));
      }
    }
    for (Map.Entry<String, Class<?>> c : components.entrySet()) {
      String key = c.getKey();
      if (!given.contains(key) && given.stream().noneMatch(g -> g.startsWith(key + "."))) {
        out.add(new Mismatch(key, Mismatch.Kind.MISSING, nearest(key, given)));
      } else if (given.contains(key) && !fits(at(config, key), c.getValue())) {
        out.add(new Mismatch(key, Mismatch.Kind.WRONG_TYPE, kind(c.getValue()) + ", found " + at(config, key)));
      }
    }
    return out;
  }

  private static JsonNode at(JsonNode tree, String key) {
    JsonNode n = tree;
    for (String part : key.split("\\.")) {
      n = n.path(part);
    }
    return n;
  }

  /** Whether a config value can stand for a component of {@code type} without losing anything. */
  private static boolean fits(JsonNode v, Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return v.isIntegralNumber() && v.canConvertToInt();
    }
    if (type == long.class || type == Long.class) {
      return v.isIntegralNumber() && v.canConvertToLong();
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
      return v.isNumber();
    }
    if (type == boolean.class || type == Boolean.class) {
      return v.isBoolean();
    }
    if (type == String.class) {
      return v.isTextual();
    }
    return true;
  }

  /**
   * Every mismatch in one message, the first named first ({@code where} gives a key's file and
   * line, or the experiment).
   */
  public static String describe(List<Mismatch> problems, java.util.function.Function<String, String> where,
      String experiment, String recordName) {
    StringBuilder m = new StringBuilder();
    for (Mismatch p : problems) {
      m.append(m.length() == 0 ? "" : " Also: ").append(p.describe(where.apply(p.key()), experiment, recordName));
    }
    return m.toString();
  }

  /**
   * One disagreement.
   *
   * @param key the dotted key
   * @param kind what is wrong
   * @param detail the closest key on the other side (a likely typo, or null), or for a wrong type
   *     what was expected and found
   */
  public record Mismatch(String key, Kind kind, String detail) {
    /** What is wrong with a key. */
    public enum Kind {
      /** The config sets it and nothing reads it. */
      UNREAD,
      /** The record reads it and the config lacks it. */
      MISSING,
      /** The config's value is not of the component's type. */
      WRONG_TYPE
    }

    /** One line for the researcher, with the fix; {@code where} names the file and line (or the experiment). */
    public String describe(String where, String experiment, String recordName) {
      String hint = detail == null ? "" : " (did you mean `" + detail + "`?)";
      return switch (kind) {
        case UNREAD -> where + ": `" + key + "` is read by neither " + recordName + " nor the runtime" + hint
            + ". Fix: remove it from experiments/, or add a component for it to " + recordName + ".";
        case MISSING -> recordName + " reads `" + key + "`, which experiment `" + experiment + "` does not set" + hint
            + ". Fix: add `" + key + "` to experiments/baseline.yaml, or remove the component.";
        case WRONG_TYPE -> where + ": `" + key + "` must be " + detail + ". Fix the value under experiments/.";
      };
    }
  }

  /**
   * The config as an instance of {@code type}, after {@link #check}: a value of the wrong kind (text
   * for a number, 0.5 for a whole number) is an {@link IllegalArgumentException} naming the key.
   */
  public static <T> T bind(ObjectNode config, Class<T> type) {
    try {
      return STRICT.treeToValue(config, type);
    } catch (MismatchedInputException e) {
      StringBuilder key = new StringBuilder();
      for (var ref : e.getPath()) {
        if (ref.getFieldName() != null) {
          key.append(key.length() == 0 ? "" : ".").append(ref.getFieldName());
        }
      }
      String found = e instanceof InvalidFormatException f ? String.valueOf(f.getValue()) : "a value of another kind";
      throw new IllegalArgumentException("`" + key + "` must be " + kind(e.getTargetType()) + " for "
          + type.getSimpleName() + ", found " + found, e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot bind the config to " + type.getSimpleName() + ": "
          + e.getOriginalMessage(), e);
    }
  }

  private static String kind(Class<?> target) {
    if (target == null) {
      return "another kind of value";
    }
    if (target == int.class || target == long.class || target == Integer.class || target == Long.class) {
      return "a whole number";
    }
    if (target == double.class || target == float.class || target == Double.class || target == Float.class) {
      return "a number";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "true or false";
    }
    if (target == String.class) {
      return "a text value";
    }
    return "a " + target.getSimpleName();
  }

  /** The closest of {@code candidates} to {@code key} when it is a likely typo, or null. */
  static String nearest(String key, Set<String> candidates) {
    return DidYouMean.suggestions(key, candidates).stream().findFirst().orElse(null);
  }
}
