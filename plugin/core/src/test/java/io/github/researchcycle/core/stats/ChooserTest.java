package io.github.researchcycle.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.stats.Chooser.Arm;
import io.github.researchcycle.core.stats.Chooser.Choice;
import io.github.researchcycle.core.stats.Chooser.Kind;
import io.github.researchcycle.core.stats.Chooser.Run;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChooserTest {
  static Arm arm(String name, long... seeds) {
    List<Run> runs = new ArrayList<>();
    for (long s : seeds) {
      runs.add(Run.of(s, 0.9));
    }
    return new Arm(name, runs);
  }

  @Test
  void sameSeedsArePaired() {
    Choice c = Chooser.choose(arm("method", 1, 2, 3, 4, 5), arm("baseline", 5, 4, 3, 2, 1), 1);
    assertEquals(Kind.PAIRED_T, c.kind());
    assertEquals(5, c.n());
    assertEquals("paired t-test over 5 shared seeds", c.test());
    assertEquals("paired t-test over 5 shared seeds: both arms ran on the same 5 seeds, so each seed's difference "
        + "cancels what the seed does to both.", c.sentence());
    assertFalse(c.holm());
  }

  @Test
  void differentSeedsAreWelch() {
    Choice c = Chooser.choose(arm("method", 1, 2, 3, 4, 5), arm("baseline", 1, 2, 3, 4, 6), 1);
    assertEquals(Kind.WELCH_T, c.kind());
    assertEquals("Welch's t-test over 5 and 5 runs", c.test());
    assertTrue(c.why().contains("(4 shared)"), c.why());
    assertEquals(Kind.WELCH_T, Chooser.choose(arm("m", 1, 2, 3), arm("b", 1, 2), 1).kind());
  }

  @Test
  void aSeedTwiceIsNotAPair() {
    assertEquals(Kind.WELCH_T, Chooser.choose(arm("m", 1, 1, 2), arm("b", 1, 2, 2), 1).kind());
  }

  @Test
  void sharedSplitsTakeTheCorrectedTest() {
    List<Run> m = new ArrayList<>();
    List<Run> b = new ArrayList<>();
    for (int fold = 0; fold < 10; fold++) {
      m.add(new Run(7, "fold-" + fold, 0.8, null, null));
      b.add(new Run(7, "fold-" + fold, 0.79, null, null));
    }
    Choice c = Chooser.choose(new Arm("m", m), new Arm("b", b), 1);
    assertEquals(Kind.CORRECTED_RESAMPLED_T, c.kind());
    assertEquals("Nadeau and Bengio's corrected resampled t-test over 10 shared splits", c.test());
    assertEquals(10, c.n());
  }

  @Test
  void oneRunEachWithPredictionsIsMcNemar() {
    boolean[] correct = new boolean[10_000];
    Choice c = Chooser.choose(new Arm("m", List.of(new Run(1, null, 0.9, correct, null))),
        new Arm("b", List.of(new Run(1, null, 0.88, new boolean[10_000], null))), 1);
    assertEquals(Kind.MCNEMAR, c.kind());
    assertEquals("McNemar's exact test on 10,000 shared test examples", c.test());

    Choice perExample = Chooser.choose(new Arm("m", List.of(new Run(1, null, 0.9, null, new double[500]))),
        new Arm("b", List.of(new Run(2, null, 0.88, null, new double[500]))), 1);
    assertEquals(Kind.PAIRED_BOOTSTRAP_EXAMPLES, perExample.kind());
    assertEquals("paired bootstrap over 500 shared test examples", perExample.test());

    Choice otherTestSet = Chooser.choose(new Arm("m", List.of(new Run(1, null, 0.9, correct, null))),
        new Arm("b", List.of(new Run(1, null, 0.88, new boolean[9_000], null))), 1);
    assertEquals(Kind.NONE, otherTestSet.kind());
  }

  @Test
  void tooFewRunsIsNoTest() {
    Choice c = Chooser.choose(arm("sgdr", 1), arm("constant", 1, 2), 1);
    assertEquals(Kind.NONE, c.kind());
    assertTrue(c.why().contains("(sgdr has 1, constant has 2)"), c.why());
  }

  @Test
  void severalComparisonsNameHolm() {
    Choice c = Chooser.choose(arm("method", 1, 2, 3), arm("baseline", 1, 2, 3), 3);
    assertTrue(c.holm());
    assertTrue(c.sentence().endsWith("with Holm's correction over 3 comparisons against the baseline."),
        c.sentence());
  }
}
