package io.github.researchcycle.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** research:help prints the goals to standard output, also when Maven's log is quiet (-q). */
class HelpMojoTest {
  private static final List<String> GOALS = List.of("run", "status", "scope", "note", "compare", "verify", "publish",
      "reproduce", "sweep", "lr-find", "data", "classpath", "help");

  /** Maven's log under -q: nothing below error. */
  private static final class QuietLog extends SystemStreamLog {
    @Override
    public boolean isInfoEnabled() {
      return false;
    }

    @Override
    public boolean isWarnEnabled() {
      return false;
    }
  }

  @Test
  void printsEveryGoalToStandardOutputUnderAQuietLog() throws Exception {
    HelpMojo mojo = new HelpMojo();
    mojo.setLog(new QuietLog());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      mojo.execute();
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (String goal : GOALS) {
      assertTrue(out.contains("\nresearch:" + goal + "\n"), "goal " + goal + " listed:\n" + out);
    }
    assertFalse(out.contains("User property: research.experiment"), "parameters only with -Ddetail");
  }

  @Test
  void detailShowsEachParameterWithItsResearchProperty() throws Exception {
    String out = HelpMojo.render(descriptor(), null, true, 100);
    assertTrue(out.contains("\n    experiment\n      The experiment to run"), out);
    assertTrue(out.contains("\n      User property: research.experiment\n"), out);
    assertTrue(out.contains("\n    allowDirty (Default: false)\n"), out);
    assertTrue(out.contains("\n      User property: research.tolerance\n"), out);
    assertTrue(out.lines().allMatch(l -> l.length() <= 100 || !l.strip().contains(" ")), "wrapped at 100");
  }

  @Test
  void oneGoalWithItsParameters() throws Exception {
    String out = HelpMojo.render(descriptor(), "research:verify", false, 80);
    assertTrue(out.contains("research:verify"), out);
    assertTrue(out.contains("User property: research.run"), out);
    assertFalse(out.contains("research:run\n"), out);
    MojoFailureException e = assertThrows(MojoFailureException.class,
        () -> HelpMojo.render(descriptor(), "verfy", false, 80));
    assertTrue(e.getMessage().startsWith("-Dgoal: no goal `verfy` in this plugin. Goals: "), e.getMessage());
  }

  @Test
  void wrapsWordsAtTheWidth() {
    StringBuilder b = new StringBuilder();
    HelpMojo.line(b, "one two three four five", 1, 12);
    assertEquals("  one two\n  three four\n  five\n", b.toString());
  }

  private static Document descriptor() throws Exception {
    try (InputStream in = HelpMojo.class.getResourceAsStream(HelpMojo.PLUGIN_HELP)) {
      return HelpMojo.parse(in);
    }
  }
}
