package io.github.researchcycle.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.model.Json;
import java.nio.file.Path;

/** Opens runs on a folder for tests outside this package. */
public final class TestRuns {
  private TestRuns() {}

  /** A run in {@code dir} with the config {@code json}, not resuming. */
  public static Run open(Path dir, String json, long seed) throws Exception {
    return Run.open(dir, "test", (ObjectNode) Json.mapper().readTree(json), seed, false);
  }

  /** A run in {@code dir} with the config {@code json}, resuming when {@code resuming}. */
  public static Run open(Path dir, String json, long seed, boolean resuming) throws Exception {
    return Run.open(dir, "test", (ObjectNode) Json.mapper().readTree(json), seed, resuming);
  }
}
