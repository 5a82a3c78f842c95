package io.github.researchcycle.maven;

import io.github.researchcycle.core.run.Reporter;
import java.io.OutputStream;
import org.apache.maven.plugin.logging.Log;

/** Adapts Maven's log and console to the core's {@link Reporter}. */
final class Reporters {
  private Reporters() {}

  /** A reporter that logs through {@code log} and gives training processes the real console. */
  static Reporter of(Log log) {
    return new Reporter() {
      @Override
      public void info(String line) {
        log.info(line);
      }

      @Override
      public void warn(String line) {
        log.warn(line);
      }

      @Override
      public OutputStream console() {
        return System.out;
      }

      @Override
      public boolean terminal() {
        return System.console() != null;
      }
    };
  }
}
