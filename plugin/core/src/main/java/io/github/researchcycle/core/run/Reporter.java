package io.github.researchcycle.core.run;

import java.io.OutputStream;

/** Where the core tells the user what it does; the Maven side adapts its log to this. */
public interface Reporter {
  /** A line of progress. */
  void info(String line);

  /** A line the user should not miss. */
  void warn(String line);

  /** The raw console for the training process's own output. */
  OutputStream console();

  /** Whether the console is a terminal (progress bars are drawn in place). */
  boolean terminal();
}
