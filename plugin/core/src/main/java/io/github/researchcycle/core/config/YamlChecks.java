package io.github.researchcycle.core.config;

import io.github.researchcycle.core.ResearchException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * What Jackson's YAML reading lets through silently, refused with file, line and key: a key given
 * twice in one mapping (at any depth), anchors, aliases and merge keys, and {@code .nan}/{@code .inf}.
 *
 * <p>It walks the event stream of SnakeYAML, the parser under jackson-dataformat-yaml, so there is
 * one YAML engine. Text that SnakeYAML cannot parse is left to Jackson, whose syntax error names
 * the line.
 */
final class YamlChecks {
  /** YAML 1.1/1.2 spellings of not-a-number and the infinities (plain scalars only). */
  private static final Pattern NOT_FINITE =
      Pattern.compile("[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
  private static final String FLOAT_TAG = "tag:yaml.org,2002:float";

  private YamlChecks() {}

  /** Where a node sits: a mapping (alternating keys and values), a sequence, or the document. */
  private static final class Frame {
    final boolean mapping;
    final String path;
    final Map<String, Integer> keyLines = new HashMap<>();
    boolean atKey = true;
    String key;
    int index;

    Frame(boolean mapping, String path) {
      this.mapping = mapping;
      this.path = path;
    }

    /** The dotted path of the node that comes next in this frame (a value or an item). */
    String childPath() {
      if (!mapping) {
        return path == null ? "" : path + "[" + index + "]";
      }
      String k = key == null ? "?" : key;
      return path == null || path.isEmpty() ? k : path + "." + k;
    }

    void nodeDone() {
      if (mapping) {
        atKey = !atKey;
      } else {
        index++;
      }
    }
  }

  /**
   * Refuses the first duplicate key, anchor, alias, merge key or non-finite number in {@code text};
   * {@code where} is the file as the user knows it.
   */
  static void check(String where, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);
    Deque<Frame> frames = new ArrayDeque<>();
    frames.push(new Frame(false, null));
    try {
      for (Event event : new Yaml(options).parse(new StringReader(text))) {
        Event.ID id = event.getEventId();
        if (id == Event.ID.DocumentStart) {
          frames.clear();
          frames.push(new Frame(false, null));
          continue;
        }
        if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
          frames.pop();
          frames.peek().nodeDone();
          continue;
        }
        if (!(event instanceof NodeEvent node)) {
          continue;
        }
        Frame parent = frames.peek();
        boolean isKey = parent.mapping && parent.atKey;
        String path = parent.childPath();
        int line = event.getStartMark().getLine() + 1;
        String at = where + " line " + line + ": ";
        if (event instanceof AliasEvent) {
          throw new ResearchException(at + (isKey ? "a key" : "`" + path + "`") + " is the YAML alias `*"
              + node.getAnchor() + "`; anchors, aliases and merge keys are not read, so that every value is "
              + "written where it applies. Fix: write the value itself there.");
        }
        if (node.getAnchor() != null) {
          throw new ResearchException(at + (isKey ? "a key" : "`" + path + "`") + " carries the YAML anchor `&"
              + node.getAnchor() + "`; anchors, aliases and merge keys are not read, so that every value is "
              + "written where it applies. Fix: remove `&" + node.getAnchor() + "` and write the value out "
              + "wherever `*" + node.getAnchor() + "` stands.");
        }
        if (event instanceof ScalarEvent scalar) {
          if (isKey) {
            key(where, parent, scalar, line);
          } else if (notFinite(scalar)) {
            throw new ResearchException(at + "`" + path + "` is `" + scalar.getValue()
                + "`, not a finite number. Fix: write a finite number there, or remove the key.");
          }
          parent.nodeDone();
        } else if (event instanceof CollectionStartEvent) {
          if (isKey) {
            throw new ResearchException(at + "a key of " + owner(parent) + " is a mapping or a list. Fix: "
                + "write keys as plain names, `key: value`.");
          }
          frames.push(new Frame(id == Event.ID.MappingStart, path));
        }
      }
    } catch (YAMLException e) {
      // Malformed text: Jackson reads it next and names the line of the syntax error.
    }
  }

  private static void key(String where, Frame parent, ScalarEvent scalar, int line) {
    String key = scalar.getValue();
    String dotted = parent.path == null || parent.path.isEmpty() ? key : parent.path + "." + key;
    if (scalar.isPlain() && "<<".equals(key)) {
      throw new ResearchException(where + " line " + line + ": `" + dotted + "` is a YAML merge key; anchors, "
          + "aliases and merge keys are not read, so that every value is written where it applies. Fix: write "
          + "the merged keys out in " + owner(parent) + " (an experiment may `extends` another instead).");
    }
    Integer first = parent.keyLines.putIfAbsent(key, line);
    if (first != null) {
      throw new ResearchException(where + " line " + line + ": duplicate key `" + dotted + "` (first on line "
          + first + "). Fix: keep one of the two.");
    }
    parent.key = key;
  }

  private static String owner(Frame mapping) {
    return mapping.path == null || mapping.path.isEmpty() ? "the file" : "`" + mapping.path + "`";
  }

  private static boolean notFinite(ScalarEvent scalar) {
    boolean untagged = scalar.getTag() == null || FLOAT_TAG.equals(scalar.getTag()) || "!!float".equals(scalar.getTag());
    return scalar.isPlain() && untagged && NOT_FINITE.matcher(scalar.getValue()).matches();
  }
}
