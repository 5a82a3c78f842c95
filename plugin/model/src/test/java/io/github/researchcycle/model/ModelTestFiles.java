package io.github.researchcycle.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Small file and timing helpers for the model's tests. */
final class ModelTestFiles {
  private ModelTestFiles() {}

  /** Writes {@code text} to {@code root/rel}, creating folders. */
  static Path write(Path root, String rel, String text) {
    try {
      Path file = root.resolve(rel);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code condition} holds or the time runs out; returns whether it held. */
  static boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }

  /** One metric line in the writer's layout. */
  static String line(long step, String name, String value) {
    return "{\"step\":" + step + ",\"epoch\":0,\"name\":\"" + name + "\",\"value\":" + value + ",\"time\":1}\n";
  }
}
