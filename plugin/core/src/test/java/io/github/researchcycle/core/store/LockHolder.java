package io.github.researchcycle.core.store;

import java.nio.file.Path;
import java.time.Duration;

/** A process that holds a run's live lock, as a launching Maven does, until its standard input closes. */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (LiveLock lock = LiveLock.hold(Path.of(args[0]), Duration.ofSeconds(10))) {
      System.out.println("held");
      System.out.flush();
      while (System.in.read() >= 0) {
        // Held until the test closes our input or kills us.
      }
    }
  }
}
