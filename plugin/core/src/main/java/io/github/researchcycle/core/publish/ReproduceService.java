package io.github.researchcycle.core.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.core.verify.Verification;
import io.github.researchcycle.core.verify.VerifyService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code research:reproduce}, a reader's one command in an unpacked bundle: re-runs the recorded
 * runs (those the claim used, or a subset of experiments such as {@code smoke}) with their configs
 * and seeds, and puts recorded and reproduced numbers side by side. Needs no git: the bundle is the
 * published commit.
 */
public final class ReproduceService {
  private final Clock clock;

  /** A service with a clock for the comparison's timestamps. */
  public ReproduceService(Clock clock) {
    this.clock = clock;
  }

  /**
   * One run reproduced.
   *
   * @param record the recorded run
   * @param metric the headline metric
   * @param comparison every final metric compared
   */
  public record Row(RunRecord record, String metric, Verification comparison) {}

  /** Re-runs the selected runs of the bundle at {@code root} with {@code classpath}. */
  public List<Row> reproduce(Path root, Set<String> subset, List<Path> classpath, Reporter reporter) throws IOException {
    Descriptor d = DescriptorLoader.load(root);
    RunStore store = RunService.system().store(root);
    Set<String> used = usedRuns(root);
    List<RunRecord> selected = new ArrayList<>();
    for (RunRecord r : store.list()) {
      if (r.status() != RunStatus.FINISHED) {
        continue;
      }
      boolean wanted = subset != null && !subset.isEmpty() ? subset.contains(r.experiment())
          : used.isEmpty() || used.contains(r.id());
      if (wanted) {
        selected.add(r);
      }
    }
    if (selected.isEmpty()) {
      throw new ResearchException("No recorded run matches" + (subset == null || subset.isEmpty() ? ""
          : " -Dresearch.subset=" + String.join(",", subset)) + " under runs/. Fix: run this in an unpacked "
          + "research bundle, or name experiments that have finished runs.");
    }
    String metric = d.metric() == null ? null : d.metric().name();
    List<Row> rows = new ArrayList<>();
    for (RunRecord r : selected) {
      Path out = root.resolve("target").resolve("reproduce").resolve(r.id());
      VerifyService.replay(r, root, classpath, out, reporter);
      Verification v = VerifyService.compare(r, store.dir(r.id()), out, 0, root.relativize(out).toString(),
          clock.instant());
      rows.add(new Row(r, metric, v));
    }
    return rows;
  }

  /** The runs the published claim used (writeup/results.json in a bundle), or none when unknown. */
  static Set<String> usedRuns(Path root) throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    Path results = root.resolve("writeup/results.json");
    if (Files.isRegularFile(results)) {
      JsonNode tree = Json.mapper().readTree(results.toFile());
      tree.path("runsUsed").forEach(n -> ids.add(n.asText()));
    }
    return ids;
  }

  /** The side-by-side lines for the console. */
  public static List<String> lines(List<Row> rows) {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "%-30s %-12s %5s  %-22s %-22s %s", "run", "experiment", "seed", "recorded",
        "reproduced", "match"));
    for (Row row : rows) {
      Verification.MetricCheck check = row.comparison().metrics().stream()
          .filter(c -> c.name().equals(row.metric())).findFirst()
          .orElse(row.comparison().metrics().isEmpty() ? null : row.comparison().metrics().get(0));
      out.add(String.format(Locale.ROOT, "%-30s %-12s %5d  %-22s %-22s %s", row.record().id(),
          row.record().experiment(), row.record().seed(), check == null ? "-" : check.recorded(),
          check == null ? "-" : check.reproduced(),
          row.comparison().trajectoryIdentical() ? "bit-identical" : row.comparison().passed() ? "final metrics equal"
              : "DIFFERS"));
    }
    return out;
  }
}
