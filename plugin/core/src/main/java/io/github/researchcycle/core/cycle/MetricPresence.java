package io.github.researchcycle.core.cycle;

import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether the claim's metric is one the runs write: a {@code metric.name} that no finished run of
 * the claim's experiments logged would otherwise read as "too few seeds".
 */
public final class MetricPresence {
  private MetricPresence() {}

  /** The mistake in one line, naming the metrics the runs do log; empty when the metric is logged. */
  public static Optional<String> problem(Descriptor d, List<RunRecord> runs) {
    if (d.metric() == null || d.metric().name() == null || d.metric().name().isBlank()) {
      return Optional.empty();
    }
    String metric = d.metric().name();
    TreeSet<String> logged = new TreeSet<>();
    boolean finished = false;
    for (RunRecord r : runs) {
      boolean claim = r.experiment().equals(d.method()) || r.experiment().equals(d.baseline());
      if (claim && r.status() == RunStatus.FINISHED && r.backsClaims() && r.finalMetrics() != null) {
        finished = true;
        if (r.finalMetrics().containsKey(metric)) {
          return Optional.empty();
        }
        logged.addAll(r.finalMetrics().keySet());
      }
    }
    if (!finished) {
      return Optional.empty();
    }
    return Optional.of("research.yaml: metric.name `" + metric + "` is logged by no finished run of `" + d.method()
        + "`" + (d.baseline() == null ? "" : " or `" + d.baseline() + "`") + "; they log " + String.join(", ", logged)
        + ". Fix: name one of those in metric.name (if the claim is registered, the change is recorded and shown),"
        + " or log `" + metric + "` from the training code");
  }
}
