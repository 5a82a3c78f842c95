package io.github.researchcycle.core.lrfind;

import io.github.researchcycle.model.MetricLine;
import java.util.ArrayList;
import java.util.List;

/**
 * The reading of a learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural
 * Networks", 2017): the smoothed loss against the exponentially growing rate, and the rate to
 * suggest.
 *
 * <p>The suggestion is the rate where the smoothed loss falls fastest per decade of rate (the
 * steepest descent, measured across a window of a twentieth of the test so that one noisy step
 * does not decide, and searched between the first tenth of the test and a window short of the
 * minimum of the loss, where the loss is about to turn).
 * Beside it, the rate at the minimum divided by ten, a common, more cautious reading. The
 * suggestion is the smaller of the two (the steepest descent often sits close to the cliff where
 * the loss turns); both are printed. A test whose loss never falls gives no suggestion, and says so.
 *
 * @param rates the learning rate at each step
 * @param losses the raw loss at each step
 * @param smoothed the smoothed loss at each step
 * @param steepest the index of the steepest descent, or -1
 * @param minimum the index of the smallest smoothed loss, or -1
 */
public record RangeTest(double[] rates, double[] losses, double[] smoothed, int steepest, int minimum) {

  /** Reads a range test from its metric lines ({@code lr}, {@code loss}, {@code smoothed_loss} per step). */
  public static RangeTest of(List<MetricLine> lines) {
    List<Double> lr = new ArrayList<>();
    List<Double> raw = new ArrayList<>();
    List<Double> smooth = new ArrayList<>();
    for (MetricLine l : lines) {
      switch (l.name()) {
        case "lr" -> lr.add(l.value());
        case "loss" -> raw.add(l.value());
        case "smoothed_loss" -> smooth.add(l.value());
        default -> { }
      }
    }
    int n = Math.min(lr.size(), Math.min(raw.size(), smooth.size()));
    double[] rates = new double[n];
    double[] losses = new double[n];
    double[] smoothed = new double[n];
    for (int i = 0; i < n; i++) {
      rates[i] = lr.get(i);
      losses[i] = raw.get(i);
      smoothed[i] = smooth.get(i);
    }
    return analyse(rates, losses, smoothed);
  }

  /** Finds the minimum and the steepest descent of the smoothed loss. */
  public static RangeTest analyse(double[] rates, double[] losses, double[] smoothed) {
    int minimum = -1;
    for (int i = 0; i < smoothed.length; i++) {
      if (Double.isFinite(smoothed[i]) && (minimum < 0 || smoothed[i] < smoothed[minimum])) {
        minimum = i;
      }
    }
    int steepest = -1;
    double slope = 0;
    int w = Math.max(1, smoothed.length / 20);
    int from = Math.max(w, smoothed.length / 10);
    for (int i = from; minimum > 0 && i + w <= minimum; i++) {
      double run = Math.log10(rates[i + w]) - Math.log10(rates[i - w]);
      if (run <= 0 || !Double.isFinite(smoothed[i + w]) || !Double.isFinite(smoothed[i - w])) {
        continue;
      }
      double s = (smoothed[i + w] - smoothed[i - w]) / run;
      if (s < slope) {
        slope = s;
        steepest = i;
      }
    }
    return new RangeTest(rates, losses, smoothed, steepest, minimum);
  }

  /** The rate of the steepest descent, or NaN when the loss never fell. */
  public double steepestRate() {
    return steepest < 0 ? Double.NaN : rates[steepest];
  }

  /** The suggested rate: the smaller of the steepest descent and minimum/10; NaN when the loss never fell. */
  public double suggested() {
    return steepest < 0 ? Double.NaN : Math.min(rates[steepest], minimumOverTen());
  }

  /** The rate at the smallest smoothed loss divided by ten, or NaN. */
  public double minimumOverTen() {
    return minimum < 0 ? Double.NaN : rates[minimum] / 10;
  }

  /** The number of steps taken. */
  public int steps() {
    return rates.length;
  }
}
