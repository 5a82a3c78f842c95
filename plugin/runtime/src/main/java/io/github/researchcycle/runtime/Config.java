package io.github.researchcycle.runtime;

import io.github.researchcycle.core.ResearchException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The resolved experiment configuration as the training code reads it: typed getters over dotted
 * keys ({@code config.getDouble("optimizer.lr")}). A missing key or a value of the wrong type is an
 * error naming the key, never a silent default.
 */
public final class Config {
  private final ObjectNode values;
  private final String experiment;

  /** Wraps a resolved configuration tree of {@code experiment}. */
  public Config(ObjectNode values, String experiment) {
    this.values = values;
    this.experiment = experiment;
  }

  /** The tree itself (read-only by convention). */
  public ObjectNode tree() {
    return values;
  }

  /** Whether the dotted key exists. */
  public boolean has(String key) {
    return node(key) != null;
  }

  /** An integer value. */
  public int getInt(String key) {
    JsonNode n = require(key);
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw wrongType(key, "a whole number", n);
    }
    return n.intValue();
  }

  /** A long value. */
  public long getLong(String key) {
    JsonNode n = require(key);
    if (!n.isIntegralNumber()) {
      throw wrongType(key, "a whole number", n);
    }
    return n.longValue();
  }

  /** A floating-point value (whole numbers are accepted). */
  public double getDouble(String key) {
    JsonNode n = require(key);
    if (!n.isNumber()) {
      throw wrongType(key, "a number", n);
    }
    return n.doubleValue();
  }

  /** A text value. */
  public String getString(String key) {
    JsonNode n = require(key);
    if (!n.isValueNode() || n.isNull()) {
      throw wrongType(key, "a text value", n);
    }
    return n.asText();
  }

  /** A boolean value. */
  public boolean getBoolean(String key) {
    JsonNode n = require(key);
    if (!n.isBoolean()) {
      throw wrongType(key, "true or false", n);
    }
    return n.booleanValue();
  }

  private JsonNode node(String key) {
    JsonNode n = values;
    for (String part : key.split("\\.")) {
      n = n == null ? null : n.get(part);
    }
    return n;
  }

  private JsonNode require(String key) {
    JsonNode n = node(key);
    if (n == null) {
      throw new ResearchException("The training code reads config key `" + key + "`, but experiment `"
          + experiment + "` has no such key. Fix: declare it in the root experiment file under experiments/.");
    }
    return n;
  }

  private ResearchException wrongType(String key, String expected, JsonNode n) {
    return new ResearchException("Config key `" + key + "` of experiment `" + experiment + "` must be "
        + expected + ", found `" + n + "`. Fix the value under experiments/.");
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
