package io.github.researchcycle.core.config;

import io.github.researchcycle.model.DidYouMean;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads YAML files, turning every parse or binding error into one message with file and line. */
public final class YamlFiles {
  private static final ObjectMapper STRICT =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private YamlFiles() {}

  private static final ObjectMapper LENIENT =
      YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /** Binds YAML text (an old version of a file, read from git) leniently: unknown keys are ignored. */
  public static <T> T parseLenient(String text, Class<T> type) throws IOException {
    return LENIENT.readValue(text, type);
  }

  /** The mapper used for strict binding; shared, configured once, thread-safe. */
  public static ObjectMapper mapper() {
    return STRICT;
  }

  /** Reads a YAML file as a tree; an empty file reads as an empty object. */
  public static JsonNode readTree(Path root, Path file) {
    try {
      String text = Files.readString(file);
      YamlChecks.check(display(root, file), text);
      JsonNode node = STRICT.readTree(text);
      if (node == null || node.isMissingNode() || node.isNull()) {
        return STRICT.createObjectNode();
      }
      if (!node.isObject()) {
        throw new ResearchException(
            display(root, file) + ": expected `key: value` lines at the top level, found a "
                + node.getNodeType().name().toLowerCase(Locale.ROOT) + ". Fix: write the file as a YAML mapping.");
      }
      return node;
    } catch (NoSuchFileException e) {
      throw new ResearchException(display(root, file) + ": no such file.");
    } catch (JsonProcessingException e) {
      throw syntax(root, file, e);
    } catch (IOException e) {
      throw new ResearchException(display(root, file) + ": cannot be read (" + e.getMessage() + ").", e);
    }
  }

  /** Binds a YAML file to {@code type}, refusing unknown keys (with a hint) and wrong types. */
  public static <T> T read(Path root, Path file, Class<T> type) {
    JsonNode tree = readTree(root, file);
    try {
      return STRICT.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      String key = pathOf(e);
      Collection<String> known =
          e.getKnownPropertyIds().stream().map(Object::toString).collect(Collectors.toList());
      String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.') + 1) : "";
      List<String> close = DidYouMean.suggestions(e.getPropertyName(), known);
      String hint = close.isEmpty() ? "" : " (did you mean "
          + close.stream().map(s -> "`" + parent + s + "`").collect(Collectors.joining(" or ")) + "?)";
      throw new ResearchException(
          at(root, file, key) + ": unknown key `" + key + "`" + hint
              + ". Known keys here: " + String.join(", ", known.stream().sorted().toList()) + ".", e);
    } catch (InvalidFormatException e) {
      String key = pathOf(e);
      throw new ResearchException(
          at(root, file, key) + ": `" + key + "` must be " + describe(e.getTargetType()) + ", found `"
              + e.getValue() + "`. Fix the value in " + display(root, file) + ".", e);
    } catch (MismatchedInputException e) {
      String key = pathOf(e);
      throw new ResearchException(
          at(root, file, key) + ": `" + key + "` must be " + describe(e.getTargetType())
              + ". Fix the value in " + display(root, file) + ".", e);
    } catch (JsonMappingException e) {
      String key = pathOf(e);
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ResearchException(
          at(root, file, key) + ": " + (key.isEmpty() ? "" : "`" + key + "`: ") + cause.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw syntax(root, file, e);
    }
  }

  /** Describes a Java type the way a YAML author thinks of it. */
  static String describe(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants())
          .map(c -> "`" + yamlName((Enum<?>) c) + "`").collect(Collectors.joining(", "));
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping of `key: value` lines";
  }

  /** The spelling a YAML file uses for an enum constant: its {@code @JsonProperty} name, if any. */
  private static String yamlName(Enum<?> constant) {
    try {
      JsonProperty p = constant.getDeclaringClass().getField(constant.name())
          .getAnnotation(JsonProperty.class);
      if (p != null && !p.value().isEmpty()) {
        return p.value();
      }
    } catch (NoSuchFieldException e) {
      // Fall back to the constant's own name.
    }
    return constant.toString();
  }

  private static String pathOf(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static ResearchException syntax(Path root, Path file, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String where = loc == null ? "" : " line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    String problem = e.getOriginalMessage().lines().findFirst().orElse("syntax error");
    return new ResearchException(
        display(root, file) + where + ": malformed YAML (" + problem
            + "). Fix the syntax there: `key: value`, nested keys indented with spaces.", e);
  }

  /** "file line N" for a dotted key, or just the file when the key cannot be found. */
  public static String at(Path root, Path file, String dottedKey) {
    int line = lineOf(file, dottedKey);
    return display(root, file) + (line > 0 ? " line " + line : "");
  }

  /** The file as the user knows it: relative to the project root when inside it. */
  public static String display(Path root, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path r = root.toAbsolutePath().normalize();
    return abs.startsWith(r) ? r.relativize(abs).toString() : abs.toString();
  }

  /** The 1-based line where a dotted key is defined in a YAML file, or -1. */
  public static int lineOf(Path file, String dottedKey) {
    if (dottedKey == null || dottedKey.isEmpty()) {
      return -1;
    }
    try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME && dottedKey.equals(currentPath(p))) {
          return p.currentTokenLocation().getLineNr();
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static String currentPath(JsonParser p) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = p.getParsingContext(); c != null; c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.push(c.getCurrentName());
      } else if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    return String.join(".", parts).replace(".[", "[");
  }
}
