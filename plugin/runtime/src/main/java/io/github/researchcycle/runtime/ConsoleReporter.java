package io.github.researchcycle.runtime;

import io.github.researchcycle.core.run.Reporter;
import java.io.OutputStream;

/** The core's reporter on this process's console, for work the runtime asks of the core. */
final class ConsoleReporter implements Reporter {
  static final ConsoleReporter INSTANCE = new ConsoleReporter();

  private ConsoleReporter() {}

  @Override
  public void info(String line) {
    System.out.println(line);
  }

  @Override
  public void warn(String line) {
    System.err.println("WARNING: " + line);
  }

  @Override
  public OutputStream console() {
    return System.out;
  }

  @Override
  public boolean terminal() {
    return false;
  }
}
