package io.github.researchcycle.core.cycle;

import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.core.store.RunStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code research:status}: reconciles vanished runs, then derives the stage and the report. */
public final class StatusService {
  private final RunService runs;
  private final Clock clock;
  private final String host;

  /** A service over {@code runs}' store, with a clock and this host's name. */
  public StatusService(RunService runs, Clock clock, String host) {
    this.runs = runs;
    this.clock = clock;
    this.host = host;
  }

  /**
   * The report.
   *
   * @param status the derived status
   * @param reconciled lines about runs just marked crashed
   * @param lines the report's lines
   */
  public record Report(Cycle.Status status, List<String> reconciled, List<String> lines) {}

  /** Builds the report for the research repository at {@code root}. */
  public Report report(Path root) throws IOException {
    Descriptor d = DescriptorLoader.load(root);
    RunStore store = runs.store(root);
    List<String> reconciled = new ArrayList<>();
    List<RunRecord> records = store.list();
    for (RunRecord r : store.reconcile(host, records)) {
      reconciled.add("Run " + r.id() + " (" + r.experiment() + ") was marked running, but " + r.reason()
          + "; recorded as crashed.");
    }
    // Runs on a scheduler (Slurm, Kubernetes) started without waiting: ask it how they stand.
    for (RunRecord r : runs.launchers().reconcile(store, records)) {
      reconciled.add("Run " + r.id() + " (" + r.experiment() + "): " + r.status().json()
          + (r.launcher() != null && r.launcher().schedulerState() != null ? " (scheduler: "
              + r.launcher().schedulerState() + ")" : "") + (r.reason() == null ? "" : ", " + r.reason()) + ".");
    }
    Cycle.Status status = Cycle.status(root, d, store.list(), clock.instant());
    return new Report(status, reconciled, StatusReport.lines(status));
  }
}
