package io.github.researchcycle.core.lrfind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.model.MetricLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeTestTest {
  /** A loss that is flat, falls fastest around lr = 1e-2, bottoms out at 1e-1 and then blows up. */
  private static double loss(double lr) {
    double x = Math.log10(lr);
    return x < 0 ? 2.0 - 1.5 / (1 + Math.exp(-4 * (x + 2))) : 0.5 + Math.pow(x * 3, 2);
  }

  private static RangeTest curve(int steps) {
    double[] rates = new double[steps];
    double[] losses = new double[steps];
    for (int i = 0; i < steps; i++) {
      rates[i] = 1e-6 * Math.pow(1e7, i / (double) (steps - 1));
      losses[i] = loss(rates[i]);
    }
    return RangeTest.analyse(rates, losses, losses.clone());
  }

  @Test
  void suggestsTheSteepestDescentAndReportsTheMinimum() {
    RangeTest t = curve(141);
    assertEquals(1e-2, t.steepestRate(), 1e-2 * 0.15);
    assertEquals(Math.min(t.steepestRate(), t.minimumOverTen()), t.suggested(), 0);
    double atMinimum = t.rates()[t.minimum()];
    assertTrue(atMinimum > 0.3 && atMinimum <= 1.5, "minimum at " + atMinimum);
    assertEquals(atMinimum / 10, t.minimumOverTen(), 1e-15);
  }

  @Test
  void aLossThatNeverFallsGivesNoSuggestion() {
    double[] rates = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1};
    double[] up = {1, 2, 3, 4, 5};
    RangeTest t = RangeTest.analyse(rates, up, up);
    assertTrue(Double.isNaN(t.suggested()));
    assertEquals(0, t.minimum());
    List<String> lines = LrFindService.lines(t, "optimizer.lr", null);
    assertTrue(lines.get(lines.size() - 1).startsWith("The loss never fell over the range"), lines.toString());
  }

  @Test
  void readsTheMetricLinesOfARun() {
    List<MetricLine> lines = new ArrayList<>();
    RangeTest c = curve(50);
    for (int i = 0; i < 50; i++) {
      lines.add(new MetricLine(i, 0, "lr", c.rates()[i], 0L));
      lines.add(new MetricLine(i, 0, "loss", c.losses()[i] + 0.01, 0L));
      lines.add(new MetricLine(i, 0, "smoothed_loss", c.smoothed()[i], 0L));
      lines.add(new MetricLine(i, 0, "train_accuracy", 0.5, 0L));
    }
    RangeTest read = RangeTest.of(lines);
    assertEquals(50, read.steps());
    assertEquals(c.steepest(), read.steepest());
    assertEquals(c.losses()[3] + 0.01, read.losses()[3], 1e-12);
  }
}
