package io.github.researchcycle.core.lrfind;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.launch.LaunchContext;
import io.github.researchcycle.core.publish.Figures;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.run.RunOutcome;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricsReader;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code research:lr-find}: a short run of the experiment, recorded like any run (with purpose
 * {@code lr-find}, so it never backs a claim), whose learning rate grows exponentially; then the
 * loss against the rate as a table, a plot ({@code lr-find.svg}, {@code lr-find.png}) and a
 * suggested rate ({@code lr-find.json}), all in the run folder.
 */
public final class LrFindService {
  /** The system property that turns a run into a range test ({@code min,max,steps}). */
  public static final String PROPERTY = LaunchContext.LR_FIND_PROPERTY;
  /** The summary file in the run folder. */
  public static final String SUMMARY = "lr-find.json";
  /** The plot's file name, without extension. */
  public static final String PLOT = "lr-find";

  private final RunService runs;

  /** A service launching through {@code runs}. */
  public LrFindService(RunService runs) {
    this.runs = runs;
  }

  /**
   * The test's settings.
   *
   * @param min the first rate
   * @param max the last rate
   * @param steps the optimizer steps
   */
  public record Settings(double min, double max, int steps) {
    /** Checks the settings; a mistake names the property and the fix. */
    public Settings {
      if (!(min > 0) || !(max > min)) {
        throw new ResearchException("-Dresearch.lrFind.min=" + min + " and -Dresearch.lrFind.max=" + max
            + ": the range needs 0 < min < max. Fix: for example min 1e-6 and max 10.");
      }
      if (steps < 10) {
        throw new ResearchException("-Dresearch.lrFind.steps=" + steps + ": a range test needs at least 10 steps. "
            + "Fix: use 100 (the default) or more.");
      }
    }
  }

  /**
   * What the test found.
   *
   * @param outcome the run
   * @param test the reading of its metrics
   * @param plot the plot written into the run folder (null when the run left no steps)
   * @param lines the console table and suggestion
   */
  public record Result(RunOutcome outcome, RangeTest test, Figures.Figure plot, List<String> lines) {}

  /** Runs the range test on the request's experiment and profile (one seed) and reads it. */
  public Result find(RunRequest request, Settings settings, String lrKey, Reporter reporter) throws IOException {
    RunRequest one = new RunRequest(request.projectDir(), request.experiment(), request.profile(), request.overrides(),
        request.seed(), 1, request.allowDirty(), null, request.classpath(), request.pluginVersion(),
        request.fullDataCheck(), request.waitForEnd(), request.dryRun(), 1);
    String value = String.format(Locale.ROOT, "%s,%s,%d", settings.min(), settings.max(), settings.steps());
    List<RunOutcome> outcomes = runs.runPoints(one, List.of(new RunService.Point(List.of(), one.seedOrDefault(), null)),
        RunRecord.LR_FIND, Map.of(PROPERTY, value), reporter);
    RunOutcome outcome = outcomes.get(0);
    if (outcome.record().status() != RunStatus.FINISHED) {
      return new Result(outcome, null, null, List.of());
    }
    return read(outcome, lrKey);
  }

  /** Reads a finished range test's folder: table, plot, summary. */
  static Result read(RunOutcome outcome, String lrKey) throws IOException {
    Path dir = outcome.dir();
    RangeTest test = RangeTest.of(MetricsReader.read(dir.resolve(RunStore.METRICS)));
    if (test.steps() == 0) {
      throw new ResearchException("Run " + outcome.record().id() + " finished but logged no range-test steps (lr, "
          + "loss). Fix: build the optimizer's rate with run.learningRate(...) in the training class (see the "
          + "generated Train.java), and train with Fit.fit.");
    }
    List<Figures.Series> series = new ArrayList<>();
    series.add(new Figures.Series("smoothed loss", test.rates(), test.smoothed()));
    double suggested = test.suggested();
    if (Double.isFinite(suggested)) {
      double lo = Arrays.stream(test.smoothed()).filter(Double::isFinite).min().orElse(0);
      double hi = Arrays.stream(test.smoothed()).filter(Double::isFinite).max().orElse(1);
      series.add(new Figures.Series(String.format(Locale.ROOT, "suggested %.2e", suggested),
          new double[] {suggested, suggested}, new double[] {lo, hi}));
    }
    Figures.Figure plot = Figures.lines(dir, PLOT, "Learning-rate range test: " + outcome.record().experiment(),
        "learning rate (log scale)", "loss (smoothed)", series, true);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("run", outcome.record().id());
    summary.put("steps", test.steps());
    summary.put("suggested", Double.isFinite(suggested) ? suggested : null);
    summary.put("steepest", Double.isFinite(test.steepestRate()) ? test.steepestRate() : null);
    summary.put("minimumOverTen", Double.isFinite(test.minimumOverTen()) ? test.minimumOverTen() : null);
    summary.put("minimumLoss", test.minimum() < 0 ? null : test.smoothed()[test.minimum()]);
    summary.put("rateAtMinimum", test.minimum() < 0 ? null : test.rates()[test.minimum()]);
    summary.put("plot", List.of(PLOT + ".svg", PLOT + ".png"));
    Json.writeAtomically(dir.resolve(SUMMARY), summary);
    return new Result(outcome, test, plot, lines(test, lrKey, outcome.record()));
  }

  /** The console report: about a dozen rows spread over the range, then the suggestion. */
  static List<String> lines(RangeTest test, String lrKey, RunRecord record) {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "%12s  %12s", "lr", "loss"));
    int n = test.steps();
    int rows = Math.min(12, n);
    for (int k = 0; k < rows; k++) {
      int i = rows == 1 ? 0 : (int) Math.round(k * (n - 1) / (double) (rows - 1));
      String mark = i == test.steepest() ? "  <- steepest" : i == test.minimum() ? "  <- minimum" : "";
      out.add(String.format(Locale.ROOT, "%12.3e  %12.4f%s", test.rates()[i], test.smoothed()[i], mark));
    }
    if (Double.isNaN(test.suggested())) {
      out.add("The loss never fell over the range: no rate to suggest. Fix: widen the range (a smaller "
          + "-Dresearch.lrFind.min), or look at output.log for a training problem.");
      return out;
    }
    out.add(String.format(Locale.ROOT, "Suggested learning rate: %.2e (the smaller of the steepest descent of the "
        + "loss, %.2e, and the rate at its minimum / 10, %.2e).", test.suggested(), test.steepestRate(),
        test.minimumOverTen()));
    boolean declared = lrKey != null && record.config() != null && record.config().at("/" + lrKey.replace('.', '/'))
        .isNumber();
    if (declared) {
      out.add(String.format(Locale.ROOT, "Try it: mvn research:run -Dresearch.experiment=%s -Dresearch.set=%s=%.2e "
          + "(the experiment has %s = %s), or write it into experiments/%s.yaml.", record.experiment(), lrKey,
          test.suggested(), lrKey, record.config().at("/" + lrKey.replace('.', '/')).asText(), record.experiment()));
    }
    return out;
  }
}
