package io.github.researchcycle.core.cycle;

import io.github.researchcycle.core.descriptor.Completeness;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.GitHistory;
import io.github.researchcycle.core.git.UnpackedBundle;
import io.github.researchcycle.core.ledger.Evidence;
import io.github.researchcycle.core.ledger.Standing;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.RunFiles;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.ledger.LedgerEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
   * @param status the derived status (null in an unpacked bundle)
   * @param reconciled lines about runs just marked crashed
   * @param lines the report's lines
   */
  public record Report(Cycle.Status status, List<String> reconciled, List<String> lines) {}

  /** Builds the report for the research repository at {@code root}. */
  public Report report(Path root) throws IOException {
    if (UnpackedBundle.at(root)) {
      // A bundle has no git history: say what it is and what can be checked in it, not how to make a repository.
      return new Report(null, List.of(), UnpackedBundle.statusLines(root));
    }
    Descriptor d = DescriptorLoader.load(root);
    RunStore store = runs.store(root);
    List<String> reconciled = new ArrayList<>();
    List<RunRecord> records = store.list();
    for (RunRecord r : store.reconcile(host, records)) {
      reconciled.add("Run " + r.id() + " (" + r.experiment() + ") was marked running, but " + r.reason()
          + "; recorded as crashed.");
    }
    // A record a full disk cut short: named, one line each, never a failed status.
    reconciled.addAll(store.unreadable());
    // Runs on a scheduler (Slurm, Kubernetes) started without waiting: ask it how they stand.
    for (RunRecord r : runs.launchers().reconcile(store, records)) {
      reconciled.add("Run " + r.id() + " (" + r.experiment() + "): " + r.status().json()
          + (r.launcher() != null && r.launcher().schedulerState() != null ? " (scheduler: "
              + r.launcher().schedulerState() + ")" : "") + (r.reason() == null ? "" : ", " + r.reason()) + ".");
    }
    List<RunRecord> all = store.list();
    String head = GitHistory.headCommit(root).orElse(null);
    Evidence evidence = Evidence.gather(root, all, Evidence.claimExperiments(d.method(), d.baseline()), head);
    List<RunRecord> usable = evidence.usable(all);
    PreRegistration pre = evidence.preRegistration(root, d, usable).orElse(null);
    Cycle.Status judged = Cycle.status(root, d, usable, clock.instant(), pre);
    // The counts are of every run, the ones the claim does not use included.
    Cycle.Status status = new Cycle.Status(judged.stage(), judged.gate(), judged.missingFields(),
        judged.descriptorCommitted(), RunCounts.of(all), judged.evaluation(), judged.preRegistration(), judged.time());
    LedgerEvent.Published last = evidence.publications().isEmpty() ? null
        : evidence.publications().get(evidence.publications().size() - 1);
    if (last != null && status.stage() == Stage.CONCLUDED && status.evaluation() != null
        && sameRuns(last.runs(), status.evaluation())) {
      status = new Cycle.Status(Stage.PUBLISHED, null, status.missingFields(), status.descriptorCommitted(),
          status.counts(), status.evaluation(), status.preRegistration(), status.time());
    }
    List<String> lines = new ArrayList<>(StatusReport.lines(status));
    if (pre != null && pre.changed() && status.evaluation() != null && Completeness.missing(d).isEmpty()) {
      ClaimEvaluator.Evaluation edited = ClaimEvaluator.evaluate(d, usable);
      lines.add("Claim as edited (shown beside the pre-registered one, never instead of it): " + edited.verdict()
          + ". " + edited.reason());
    }
    if (last != null) {
      lines.add(1, "Published: " + last.tag() + " (" + last.verdict() + ")" + (status.stage() == Stage.PUBLISHED ? ""
          : "; the record has moved on since: publish again when the new runs are done"));
    }
    lines.add("Ledger: " + evidence.ledger().size() + " entries, head "
        + (evidence.ledger().head() == null ? "(empty)" : evidence.ledger().head()) + " (" + RunFiles.LEDGER + ")");
    for (Standing s : List.of(Standing.NOT_FINISHED, Standing.SUPERSEDED, Standing.OTHER_CONFIG, Standing.DELETED)) {
      List<Evidence.RunStandingRow> rows = evidence.runs().stream().filter(r -> r.standing() == s).toList();
      if (!rows.isEmpty()) {
        lines.add("  " + rows.size() + " claim run(s) " + s.word() + ", not counted: " + String.join(", ",
            rows.stream().map(r -> r.run() + (r.note() == null ? "" : " (" + r.note() + ")")).toList()));
      }
    }
    evidence.problems().forEach(p -> lines.add("WARNING: " + p));
    MetricPresence.problem(d, all).ifPresent(p -> lines.add("WARNING: " + p));
    return new Report(status, reconciled, lines);
  }

  private static boolean sameRuns(List<String> published, ClaimEvaluator.Evaluation e) {
    Set<String> now = new HashSet<>();
    e.method().used().forEach(r -> now.add(r.id()));
    if (e.baseline() != null) {
      e.baseline().used().forEach(r -> now.add(r.id()));
    }
    return published != null && new HashSet<>(published).equals(now);
  }
}
