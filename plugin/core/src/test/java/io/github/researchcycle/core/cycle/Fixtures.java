package io.github.researchcycle.core.cycle;

import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** Descriptors, run records and dated commits for the cycle tests. */
final class Fixtures {
  /** A complete improve claim on accuracy (maximize), margin 0.01, three seeds. */
  static final String COMPLETE = String.join("\n",
      "title: Longer training",
      "paper:",
      "  citation: 'A. Author. Training longer helps. Journal of Tests, 2026.'",
      "  hasCode: true",
      "question: Does a third epoch raise validation accuracy?",
      "hypothesis: Three epochs beat two by at least 0.01 accuracy.",
      "metric:",
      "  name: accuracy",
      "  goal: maximize",
      "baseline: baseline",
      "method: longer",
      "claim:",
      "  type: improve",
      "  margin: 0.01",
      "  statement: Three epochs improve accuracy by at least 0.01.",
      "seeds: 3",
      "");

  /** A commit that no repository of the tests holds (a run recorded before a rebase, or in another clone). */
  static final String FOREIGN_COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private Fixtures() {}

  /** A complete descriptor of an improve claim. */
  static Descriptor improve(String metric, Descriptor.Goal goal, double margin, Integer seeds) {
    return new Descriptor("t", new Descriptor.Paper("A. Author. A paper. 2026.", null, true), "q?", "h.",
        new Descriptor.Metric(metric, goal), "baseline", "method",
        new Descriptor.Claim(Descriptor.ClaimType.IMPROVE, null, null, margin, null), seeds, null, null);
  }

  /** A complete descriptor of a reproduce claim (no baseline experiment). */
  static Descriptor reproduce(String metric, Descriptor.Goal goal, double reported, double tolerance, Integer seeds) {
    return new Descriptor("t", new Descriptor.Paper("A. Author. A paper. 2026.", null, true), "q?", "h.",
        new Descriptor.Metric(metric, goal), null, "method",
        new Descriptor.Claim(Descriptor.ClaimType.REPRODUCE, reported, tolerance, null, null), seeds, null, null);
  }

  /** A run id for a start time; ids of the same start sort in creation order. */
  static String id(Instant started) {
    return STAMP.format(started) + "-" + String.format("%08d", COUNTER.incrementAndGet());
  }

  /** A builder of run records; by default a finished run on a clean tree. */
  static Run run(String experiment) {
    return new Run(experiment);
  }

  /** Mutable parts of a run record. */
  static final class Run {
    String experiment;
    long seed = 1;
    String configHash = "sha256:current";
    RunStatus status = RunStatus.FINISHED;
    boolean clean = true;
    String commit = FOREIGN_COMMIT;
    Instant started = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(COUNTER.get());
    Duration duration = Duration.ofMinutes(1);
    Map<String, Double> metrics = Map.of();

    Run(String experiment) {
      this.experiment = experiment;
    }

    Run seed(long s) {
      seed = s;
      return this;
    }

    Run config(String hash) {
      configHash = hash;
      return this;
    }

    Run status(RunStatus s) {
      status = s;
      return this;
    }

    Run dirty() {
      clean = false;
      return this;
    }

    Run commit(String c) {
      commit = c;
      return this;
    }

    Run started(Instant t) {
      started = t;
      return this;
    }

    Run took(Duration d) {
      duration = d;
      return this;
    }

    Run metric(String name, double value) {
      metrics = Map.of(name, value);
      return this;
    }

    RunRecord build() {
      GitProvenance git = new GitProvenance(commit, "main", clean, clean ? null : "sha256:diff",
          clean ? List.of() : List.of("src/Train.java"), "");
      Instant ended = status == RunStatus.RUNNING ? null : started.plus(duration);
      return new RunRecord(RunRecord.SCHEMA, id(started), experiment, "local", status,
          status == RunStatus.FINISHED ? null : "a test", started, ended,
          ended == null ? null : duration.toMillis() / 1000.0, status == RunStatus.FINISHED ? 0 : 1, "testhost", 42L,
          git, !clean, null, configHash, List.of("experiments/" + experiment + ".yaml"), List.of(), "Train", seed, null,
          null, null, null, Map.copyOf(metrics), null, null);
    }
  }

  /** Finished clean runs of {@code experiment}, one per value, seeds 1, 2, 3, ... */
  static List<RunRecord> seeds(String experiment, String metric, double... values) {
    List<RunRecord> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(run(experiment).seed(i + 1).metric(metric, values[i]).build());
    }
    return out;
  }

  /** Stages everything and commits it with an author and committer dated {@code when}. */
  static RevCommit commitAt(Git git, String message, Instant when) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent who = new PersonIdent("Test Author", "author@example.com", when, ZoneOffset.UTC);
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }
}
