package io.github.researchcycle.core;

import io.github.researchcycle.core.run.Reporter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A reporter for tests: keeps every line (prefixed INFO or WARN) and the console's bytes. */
public class CapturingReporter implements Reporter {
  /** What was said, in order. */
  public final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  /** What the training processes wrote. */
  public final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @Override
  public void info(String line) {
    lines.add("INFO " + line);
  }

  @Override
  public void warn(String line) {
    lines.add("WARN " + line);
  }

  @Override
  public OutputStream console() {
    return console;
  }

  @Override
  public boolean terminal() {
    return false;
  }

  /** Every line, one per line. */
  public String all() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  @Override
  public String toString() {
    return all();
  }
}
