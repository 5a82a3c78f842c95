package io.github.researchcycle.core.run;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** What tests of research:run and the goals built on it share: a fake experiment, a complete pre-registration, a reporter. */
public final class RunServiceFixture {
  private RunServiceFixture() {}

  /** An experiment trained by {@link FakeTrain}. */
  public static final String EXPERIMENT = String.join("\n",
      "main: " + FakeTrain.class.getName(),
      "training:",
      "  epochs: 2",
      "behaviour:",
      "  exit: 0",
      "  sleepMillis: 0",
      "");

  /** A complete pre-registration: the gates of non-smoke runs need it committed. */
  public static final String RESEARCH_YAML = String.join("\n",
      "title: Fake training",
      "paper:",
      "  citation: 'A. Author. Training three epochs. Journal of Tests, 2026.'",
      "question: Does a third epoch raise accuracy?",
      "hypothesis: Three epochs beat two by at least 0.01 accuracy.",
      "metric:",
      "  name: accuracy",
      "  goal: maximize",
      "baseline: baseline",
      "method: longer",
      "claim:",
      "  type: improve",
      "  margin: 0.01",
      "seeds: 3",
      "");

  /** The tests' reporter (kept under this name for the tests of research:run). */
  public static final class CapturingReporter extends io.github.researchcycle.core.CapturingReporter {}

  public static List<Path> testClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(s -> !s.isBlank()).map(Path::of).toList();
  }

}
