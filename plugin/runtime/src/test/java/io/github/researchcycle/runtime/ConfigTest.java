package io.github.researchcycle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private final Config config = new Config((ObjectNode) read("{\"optimizer\":{\"lr\":0.003,\"name\":\"adam\"},"
      + "\"training\":{\"epochs\":3,\"shuffle\":true}}"), "baseline");

  private static Object read(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void readsTypedValuesByDottedKey() {
    assertEquals(0.003, config.getDouble("optimizer.lr"));
    assertEquals(3, config.getInt("training.epochs"));
    assertEquals(3.0, config.getDouble("training.epochs"), "whole numbers read as doubles");
    assertEquals("adam", config.getString("optimizer.name"));
    assertTrue(config.getBoolean("training.shuffle"));
    assertTrue(config.has("optimizer.lr"));
  }

  @Test
  void missingKeyNamesTheKeyAndTheExperiment() {
    var e = assertThrows(ResearchException.class, () -> config.getInt("training.batch"));
    assertTrue(e.getMessage().contains("`training.batch`") && e.getMessage().contains("`baseline`"), e.getMessage());
  }

  @Test
  void wrongTypeIsRefused() {
    var e = assertThrows(ResearchException.class, () -> config.getInt("optimizer.lr"));
    assertTrue(e.getMessage().contains("whole number"), e.getMessage());
    assertThrows(ResearchException.class, () -> config.getBoolean("optimizer.name"));
  }
}
