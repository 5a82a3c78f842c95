package io.github.researchcycle.core.cycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats a {@link Cycle.Status} as the lines {@code research:status} prints. */
public final class StatusReport {
  private StatusReport() {}

  /** The lines of the report. */
  public static List<String> lines(Cycle.Status s) {
    List<String> out = new ArrayList<>();
    out.add("Stage: " + s.stage());
    if (s.gate() != null) {
      out.add("Next gate: " + s.gate().name() + " (" + s.gate().detail() + ")");
      out.add("  to pass it: " + s.gate().command());
    }
    if (s.counts().isEmpty()) {
      out.add("Runs: none yet");
    } else {
      out.add("Runs (tried / finished / failed / crashed / interrupted / running; dirty):");
      for (Map.Entry<String, RunCounts> e : s.counts().entrySet()) {
        RunCounts c = e.getValue();
        out.add(String.format(Locale.ROOT, "  %-16s %3d / %3d / %3d / %3d / %3d / %3d; %d dirty; %s of compute",
            e.getKey(), c.tried(), c.finished(), c.failed(), c.crashed(), c.interrupted(), c.running(), c.dirty(),
            duration(Duration.ofMillis(Math.round(c.computeSeconds() * 1000)))));
      }
    }
    if (s.evaluation() != null) {
      var ev = s.evaluation();
      out.add("Claim (" + ev.metric() + ", " + (ev.higherIsBetter() ? "higher" : "lower") + " is better, "
          + ev.seedsRequired() + " seeds): " + ev.verdict());
      out.add("  " + ev.reason());
      for (ClaimEvaluator.Sample sample : ev.baseline() == null ? List.of(ev.method())
          : List.of(ev.baseline(), ev.method())) {
        var sum = sample.summary();
        out.add(String.format(Locale.ROOT, "  %-16s n = %d, mean %s, sd %s, 95%% CI %s to %s%s", sample.experiment(),
            sum.n(), num(sum.mean()), num(sum.sd()), num(sum.ciLow()), num(sum.ciHigh()),
            sample.superseded() > 0 ? " (" + sample.superseded() + " runs not used: an older config or a repeated seed)" : ""));
      }
    }
    if (s.preRegistration() != null) {
      var pre = s.preRegistration();
      if (pre.changed()) {
        out.add("WARNING: the claim changed after its pre-registration (research.yaml at commit "
            + pre.commit().substring(0, 12) + ", first full run " + pre.firstRun() + "):");
        pre.changes().forEach(c -> out.add("  " + c));
        out.add("  The writeup will show both versions; the pre-registered one is what the results are judged against.");
      } else {
        out.add("Pre-registration: unchanged since commit " + pre.commit().substring(0, 12) + " (first full run "
            + pre.firstRun() + ")");
      }
    }
    var t = s.time();
    if (t.started() != null) {
      String estimate = t.estimateHours() == null ? "no estimate in research.yaml"
          : String.format(Locale.ROOT, "estimate %s, %.0f %% used", duration(Duration.ofMinutes(Math.round(
              t.estimateHours() * 60))), 100.0 * t.elapsed().toMinutes() / (t.estimateHours() * 60));
      out.add("Time: " + duration(t.elapsed()) + " since " + t.started() + " (" + estimate + "); compute "
          + duration(t.compute()));
      t.perStage().forEach((stage, d) -> out.add(String.format(Locale.ROOT, "  %-10s %s", stage, duration(d))));
    }
    return out;
  }

  static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** "2 d 3 h", "3 h 12 min", "4 min 2 s", "12 s". */
  public static String duration(Duration d) {
    long s = d.getSeconds();
    if (s >= 86400) {
      return s / 86400 + " d " + s % 86400 / 3600 + " h";
    }
    if (s >= 3600) {
      return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
    if (s >= 60) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s + " s";
  }
}
