package io.github.researchcycle.core.sweep;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.config.ExperimentResolver;
import io.github.researchcycle.core.cycle.Statistics;
import io.github.researchcycle.core.data.Hashes;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.GitHistory;
import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.run.RunOutcome;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code research:sweep}: one experiment over a grid of config values times seeds. Each point is
 * an ordinary run record (with its sweep and point); points that already finished with the same
 * resolved config, seed and code are skipped, so an interrupted sweep resumes where it stopped.
 * The runs go out through the profile's target: in sequence or {@code parallel} at a time here,
 * or as one Slurm job array.
 */
public final class SweepService {
  private final RunService runs;

  /** A sweep service launching through {@code runs}. */
  public SweepService(RunService runs) {
    this.runs = runs;
  }

  /**
   * One point of the grid with the runs that stand for it.
   *
   * @param point the grid values
   * @param finished its finished runs (one per seed, newest first when repeated)
   * @param pending its runs still queued or running
   * @param summary the metric over its finished runs
   */
  public record Row(Map<String, String> point, List<RunRecord> finished, List<RunRecord> pending,
      Statistics.Summary summary) {}

  /**
   * What a sweep did.
   *
   * @param name the sweep's name
   * @param grid the grid
   * @param total the runs the sweep consists of (points × seeds)
   * @param skipped the runs that were already there (finished, or in flight)
   * @param launched the outcomes of the runs started now
   * @param metric the metric summarised
   * @param rows one per point, best first
   */
  public record Result(String name, Grid grid, int total, List<RunRecord> skipped, List<RunOutcome> launched,
      String metric, List<Row> rows) {}

  private record Planned(Map<String, String> point, long seed, String configHash) {}

  /** Runs the sweep {@code gridText} (named {@code name}, or by its experiment and grid) of the request's experiment. */
  public Result sweep(RunRequest request, String gridText, String name, Reporter reporter) throws IOException {
    Grid grid = Grid.parse(gridText);
    Path root = request.projectDir();
    String experiment = request.experimentOrDefault();
    if (request.resume() != null && !request.resume().isBlank()) {
      throw new ResearchException("-Dresearch.resume does not apply to a sweep: run the sweep again and it continues "
          + "with the points that have not finished. Fix: drop -Dresearch.resume.");
    }
    if (request.seedsOrDefault() < 1) {
      throw new ResearchException("-Dresearch.seeds=" + request.seedsOrDefault() + ": at least one seed is needed. "
          + "Fix: -Dresearch.seeds=1 or more.");
    }
    String sweepName = name != null && !name.isBlank() ? name.trim()
        : experiment + "-" + Hashes.sha256((experiment + "|" + grid.canonical()).getBytes(StandardCharsets.UTF_8))
            .replace("sha256:", "").substring(0, 8);
    if (!sweepName.matches("[A-Za-z0-9_.-]+")) {
      throw new ResearchException("-Dresearch.name=" + sweepName + ": a sweep name is letters, digits, _, . and -. "
          + "Fix: choose such a name.");
    }
    ExperimentResolver resolver = new ExperimentResolver(root);
    List<String> base = request.overrides() == null ? List.of() : request.overrides();
    List<Planned> planned = new ArrayList<>();
    for (Map<String, String> point : grid.points()) {
      List<String> overrides = new ArrayList<>(base);
      point.forEach((k, v) -> overrides.add(k + "=" + v));
      String hash = resolver.resolve(experiment, overrides).hash();
      for (int s = 0; s < request.seedsOrDefault(); s++) {
        planned.add(new Planned(point, request.seedOrDefault() + s, hash));
      }
    }
    RunStore store = runs.store(root);
    List<RunRecord> records = runs.reconciled(store, reporter);
    GitProvenance git = GitInspector.inspect(root);
    SameCode same = new SameCode(root, git);
    List<RunRecord> skipped = new ArrayList<>();
    List<RunService.Point> todo = new ArrayList<>();
    for (Planned p : planned) {
      Optional<RunRecord> there = standing(records, experiment, p, same);
      if (there.isPresent()) {
        skipped.add(there.get());
      } else {
        List<String> overrides = new ArrayList<>();
        p.point().forEach((k, v) -> overrides.add(k + "=" + v));
        todo.add(new RunService.Point(overrides, p.seed(), new RunRecord.Sweep(sweepName, grid.canonical(), p.point())));
      }
    }
    reporter.info("Sweep " + sweepName + ": " + grid.points().size() + " point(s) × " + request.seedsOrDefault()
        + " seed(s) = " + planned.size() + " runs; " + skipped.size() + " already there (finished or in flight), "
        + todo.size() + " to run.");
    List<RunOutcome> launched = todo.isEmpty() ? List.of() : runs.runPoints(request, todo, null, Map.of(), reporter);
    Descriptor d = DescriptorLoader.load(root);
    List<RunRecord> now = store.list();
    String metric = metric(d, now, planned, experiment);
    return new Result(sweepName, grid, planned.size(), List.copyOf(skipped), launched, metric,
        rows(d, metric, now, planned, experiment, same));
  }

  /**
   * Whether a run stands for its point: finished, or in flight. A dry run's record (its launch files
   * written, never submitted) does not: the next sweep submits the point.
   */
  private static boolean standsForItsPoint(RunRecord r) {
    return r.status() == RunStatus.FINISHED || r.status().active() && !r.dryRun();
  }

  /** The newest run that stands for a planned run, on the same code; the sweep and its table both ask. */
  private static Optional<RunRecord> standing(List<RunRecord> records, String experiment, Planned p, SameCode same) {
    return records.stream().filter(r -> matches(r, experiment, p) && standsForItsPoint(r)).filter(same::test)
        .max(Comparator.comparing(RunRecord::id));
  }

  private static boolean matches(RunRecord r, String experiment, Planned p) {
    return experiment.equals(r.experiment()) && r.isExperimentRun() && r.seed() == p.seed()
        && p.configHash().equals(r.configHash());
  }

  private static String metric(Descriptor d, List<RunRecord> records, List<Planned> planned, String experiment) {
    if (d.metric() != null && d.metric().name() != null) {
      return d.metric().name();
    }
    return records.stream().filter(r -> planned.stream().anyMatch(p -> matches(r, experiment, p)))
        .map(RunRecord::finalMetrics).filter(Objects::nonNull).flatMap(m -> m.keySet().stream())
        .reduce((a, b) -> b).orElse(null);
  }

  private static List<Row> rows(Descriptor d, String metric, List<RunRecord> records, List<Planned> planned,
      String experiment, SameCode same) {
    Map<Map<String, String>, List<Planned>> byPoint = new LinkedHashMap<>();
    planned.forEach(p -> byPoint.computeIfAbsent(p.point(), k -> new ArrayList<>()).add(p));
    List<Row> rows = new ArrayList<>();
    for (var e : byPoint.entrySet()) {
      List<RunRecord> finished = new ArrayList<>();
      List<RunRecord> pending = new ArrayList<>();
      for (Planned p : e.getValue()) {
        standing(records, experiment, p, same).ifPresent(r -> (r.status().active() ? pending : finished).add(r));
      }
      double[] values = finished.stream().map(r -> r.finalMetrics() == null ? null : r.finalMetrics().get(metric))
          .filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue).toArray();
      rows.add(new Row(e.getKey(), finished, pending, Statistics.summarize(values)));
    }
    boolean minimize = d.metric() != null && d.metric().goal() == Descriptor.Goal.MINIMIZE;
    Comparator<Row> byMean = Comparator.comparingDouble(r -> Double.isNaN(r.summary().mean())
        ? Double.POSITIVE_INFINITY : (minimize ? r.summary().mean() : -r.summary().mean()));
    rows.sort(byMean);
    return rows;
  }

  /** The table of a sweep's result, best point first, for the console. */
  public static List<String> table(Result result) {
    List<String> lines = new ArrayList<>();
    List<String> keys = result.grid().axes().stream().map(Grid.Axis::key).toList();
    List<List<String>> cells = new ArrayList<>();
    List<String> header = new ArrayList<>(keys);
    header.add("runs");
    header.add(result.metric() == null ? "metric" : result.metric() + " (mean ± sd)");
    cells.add(header);
    for (Row r : result.rows()) {
      List<String> row = new ArrayList<>();
      keys.forEach(k -> row.add(r.point().get(k)));
      row.add(r.finished().size() + (r.pending().isEmpty() ? "" : " (+" + r.pending().size() + " pending)"));
      Statistics.Summary s = r.summary();
      row.add(s.n() == 0 ? "–" : s.n() == 1 ? String.format(Locale.ROOT, "%.4f", s.mean())
          : String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.sd()));
      cells.add(row);
    }
    int[] width = new int[header.size()];
    for (List<String> row : cells) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : cells) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        b.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[i] + "s", row.get(i)));
      }
      lines.add(b.toString().stripTrailing());
    }
    return lines;
  }

  /** Whether a record ran the code (and uncommitted changes) that is checked out now; git asked once per commit. */
  private static final class SameCode {
    private final Path root;
    private final GitProvenance git;
    private final Map<String, Boolean> byCommit = new HashMap<>();

    SameCode(Path root, GitProvenance git) {
      this.root = root;
      this.git = git;
    }

    boolean test(RunRecord r) {
      if (r.git() == null || r.git().clean() != git.clean() || !Objects.equals(r.git().diffHash(), git.diffHash())) {
        return false;
      }
      return byCommit.computeIfAbsent(r.git().commit(),
          c -> c.equals(git.commit()) || GitHistory.sameCode(root, c, git.commit()));
    }
  }
}
