package io.github.researchcycle.core.cycle;

import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.descriptor.Completeness;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.CodeIdentity;
import io.github.researchcycle.core.git.GitHistory;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.core.verify.VerifyService;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/** Derives the stage of a research repository and enforces the gates between stages. */
public final class Cycle {
  private static final String COMMIT_DESCRIPTOR =
      "git add research.yaml && git commit -m \"Pre-register the claim\"";

  private Cycle() {}

  /**
   * The gate out of the current stage.
   *
   * @param name what must hold
   * @param detail what is missing now
   * @param command the command that passes it
   */
  public record Gate(String name, String detail, String command) {}

  /**
   * Time spent against the estimate.
   *
   * @param estimateHours the estimate of research.yaml, or null
   * @param started when the project started (research.yaml first committed, or the first run)
   * @param elapsed wall time since then
   * @param compute the summed wall time of all runs
   * @param perStage time spent in each stage reached so far
   */
  public record TimeSpent(Double estimateHours, Instant started, Duration elapsed, Duration compute,
      Map<Stage, Duration> perStage) {}

  /**
   * Where the research stands.
   *
   * @param stage the current stage
   * @param gate the gate out of it (null when published)
   * @param missingFields required research.yaml fields still missing
   * @param descriptorCommitted whether research.yaml is committed and unchanged
   * @param counts runs per experiment
   * @param evaluation the claim judged from the runs (null while the descriptor is incomplete)
   * @param preRegistration the pre-registration, once a full run exists
   * @param time time spent against the estimate
   */
  public record Status(Stage stage, Gate gate, List<String> missingFields, boolean descriptorCommitted,
      Map<String, RunCounts> counts, ClaimEvaluator.Evaluation evaluation, PreRegistration preRegistration,
      TimeSpent time) {}

  /** The status of the research repository at {@code root}. */
  public static Status status(Path root, Descriptor d, List<RunRecord> runs, Instant now) {
    return status(root, d, runs, now, PreRegistration.find(root, d, runs).orElse(null));
  }

  /**
   * The status of the research repository at {@code root}, judging the claim as pre-registered in
   * {@code pre} (as publishing does) when there is one.
   */
  public static Status status(Path root, Descriptor d, List<RunRecord> runs, Instant now, PreRegistration pre) {
    List<String> missing = Completeness.missing(d);
    boolean committed = GitHistory.committed(root, DescriptorLoader.FILE);
    Map<String, RunCounts> counts = RunCounts.of(runs);
    Descriptor judged = pre != null && pre.registered() != null && pre.registered().claim() != null
        && pre.registered().metric() != null && Completeness.missing(pre.registered()).isEmpty() ? pre.registered() : d;
    ClaimEvaluator.Evaluation evaluation = missing.isEmpty() ? ClaimEvaluator.evaluate(judged, runs) : null;
    Optional<RunRecord> passingSmoke = runs.stream().filter(Cycle::passingSmoke).min(Comparator.comparing(RunRecord::id));

    Stage stage;
    Gate gate;
    if (!missing.isEmpty() || !committed) {
      stage = Stage.PROPOSED;
      gate = new Gate("a complete, committed pre-registration",
          missing.isEmpty() ? "research.yaml has uncommitted changes" : "research.yaml lacks " + String.join(", ", missing),
          missing.isEmpty() ? COMMIT_DESCRIPTOR : "fill in " + String.join(", ", missing) + " in research.yaml, then "
              + COMMIT_DESCRIPTOR);
    } else if (passingSmoke.isEmpty()) {
      stage = Stage.EXPLORING;
      gate = new Gate("a passing smoke run of committed code", "no finished smoke run on a clean tree yet",
          "mvn research:run");
    } else if (evaluation.method().values().length < evaluation.seedsRequired()
        || evaluation.baseline() != null && evaluation.baseline().values().length < evaluation.seedsRequired()) {
      stage = Stage.RUNNING;
      List<String> commands = new ArrayList<>();
      List<String> details = new ArrayList<>();
      for (ClaimEvaluator.Sample s : evaluation.baseline() == null ? List.of(evaluation.method())
          : List.of(evaluation.baseline(), evaluation.method())) {
        int lacking = evaluation.seedsRequired() - s.values().length;
        if (lacking > 0) {
          details.add(s.experiment() + " has " + s.values().length + " of " + evaluation.seedsRequired());
          long nextSeed = s.used().stream().mapToLong(RunRecord::seed).max().orElse(0) + 1;
          commands.add("mvn research:run -Dresearch.experiment=" + s.experiment() + " -Dresearch.seed=" + nextSeed
              + " -Dresearch.seeds=" + lacking);
        }
      }
      gate = new Gate("every run the claim needs, finished, from clean committed code",
          String.join("; ", details) + " finished clean runs", String.join(" && ", commands));
    } else {
      stage = Stage.CONCLUDED;
      List<RunRecord> claimRuns = new ArrayList<>(evaluation.method().used());
      if (evaluation.baseline() != null) {
        claimRuns.addAll(evaluation.baseline().used());
      }
      Optional<RunRecord> verified = claimRuns.stream()
          .filter(r -> VerifyService.verified(root.resolve("runs").resolve(r.id()))).findFirst();
      gate = verified.isEmpty()
          ? new Gate("a verified run: a recorded run re-run gives the recorded numbers",
              "no run of the claim is verified yet", "mvn research:verify")
          : new Gate("publication: the writeup rendered from the records, a report, a bundle and a tag",
              "run " + verified.get().id() + " is verified",
              "mvn research:publish");
    }
    return new Status(stage, gate, missing, committed, counts, evaluation, pre, time(root, d, runs, evaluation, now));
  }

  /** A finished smoke run on a clean tree. */
  static boolean passingSmoke(RunRecord r) {
    return RunRequest.DEFAULT_EXPERIMENT.equals(r.experiment()) && r.status() == RunStatus.FINISHED
        && r.isExperimentRun() && r.git() != null && r.git().clean();
  }

  /**
   * The gates before an expensive run (any experiment but smoke, or any profile but local): a
   * complete and committed pre-registration, and a finished smoke run of the same code. The clean
   * tree is checked by the run itself.
   */
  public static void checkRunGates(Path root, Descriptor d, String experiment, String profile, GitProvenance git,
      List<RunRecord> runs) {
    if (RunRequest.DEFAULT_EXPERIMENT.equals(experiment) && RunRequest.DEFAULT_PROFILE.equals(profile)) {
      return;
    }
    String what = "A `" + experiment + "` run on profile `" + profile + "`";
    List<String> missing = Completeness.missing(d);
    if (!missing.isEmpty()) {
      throw new GateException("Gate PROPOSED -> EXPLORING: " + what + " needs a complete pre-registration, and "
          + "research.yaml lacks " + String.join(", ", missing) + ". Fix: fill them in, then " + COMMIT_DESCRIPTOR
          + ".");
    }
    if (!GitHistory.committed(root, DescriptorLoader.FILE)) {
      throw new GateException("Gate PROPOSED -> EXPLORING: " + what + " needs the pre-registration committed, and "
          + "research.yaml has uncommitted changes. Fix: " + COMMIT_DESCRIPTOR + ".");
    }
    // Newest first: the matching smoke run is usually the last one, and git is asked only until one matches.
    boolean smokeHere = runs.stream().sorted(Comparator.comparing(RunRecord::id).reversed()).anyMatch(r -> RunRequest.DEFAULT_EXPERIMENT.equals(r.experiment())
        && r.status() == RunStatus.FINISHED && r.isExperimentRun() && r.git() != null
        && r.git().clean() == git.clean() && Objects.equals(r.git().diffHash(), git.diffHash())
        && sameCode(root, r.git().commit(), git.commit()));
    if (!smokeHere) {
      throw new GateException("Gate EXPLORING -> RUNNING: " + what + " needs a finished smoke run of the same code "
          + "(as at commit " + git.commit().substring(0, 12) + (git.clean() ? "" : " with the same uncommitted changes")
          + "), and there is none. Fix: mvn research:run (the smoke experiment, seconds), then run this again.");
    }
  }

  /**
   * Whether a smoke run at {@code ran} vouches for {@code now}: the same code identity (what builds and
   * trains; a README-only commit, such as publish's results table, changes nothing), or no difference
   * outside the run records and the writeup.
   */
  static boolean sameCode(Path root, String ran, String now) {
    if (GitHistory.sameCode(root, ran, now)) {
      return true;
    }
    String before = CodeIdentity.at(root, ran);
    return before != null && before.equals(CodeIdentity.at(root, now));
  }

  private static TimeSpent time(Path root, Descriptor d, List<RunRecord> runs, ClaimEvaluator.Evaluation evaluation,
      Instant now) {
    Instant firstRun = runs.stream().map(RunRecord::started).filter(Objects::nonNull).min(Instant::compareTo)
        .orElse(null);
    Instant started = GitHistory.firstCommitted(root, DescriptorLoader.FILE).orElse(firstRun);
    if (firstRun != null && started != null && firstRun.isBefore(started)) {
      started = firstRun;
    }
    double compute = runs.stream().mapToDouble(r -> r.durationSeconds() == null ? 0 : r.durationSeconds()).sum();
    Map<Stage, Duration> perStage = new LinkedHashMap<>();
    if (started != null) {
      Instant firstSmoke = first(runs, r -> RunRequest.DEFAULT_EXPERIMENT.equals(r.experiment()));
      Instant firstFull = first(runs, r -> !RunRequest.DEFAULT_EXPERIMENT.equals(r.experiment()));
      // EXPLORING ends when its gate passes: the first passing smoke run's end (or the first full run).
      Instant smokePassed = runs.stream().filter(Cycle::passingSmoke).map(RunRecord::ended)
          .filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
      if (smokePassed != null && (firstFull == null || smokePassed.isBefore(firstFull))) {
        firstFull = smokePassed;
      }
      Instant concluded = null;
      if (evaluation != null && evaluation.method().values().length >= evaluation.seedsRequired()
          && (evaluation.baseline() == null || evaluation.baseline().values().length >= evaluation.seedsRequired())) {
        List<RunRecord> used = new ArrayList<>(evaluation.method().used());
        if (evaluation.baseline() != null) {
          used.addAll(evaluation.baseline().used());
        }
        concluded = used.stream().map(RunRecord::ended).filter(Objects::nonNull).max(Instant::compareTo)
            .orElse(null);
      }
      Instant[] bounds = {started, firstSmoke, firstFull, concluded};
      Stage[] stages = {Stage.PROPOSED, Stage.EXPLORING, Stage.RUNNING, Stage.CONCLUDED};
      for (int i = 0; i < stages.length; i++) {
        if (bounds[i] == null) {
          break;
        }
        Instant end = i + 1 < bounds.length && bounds[i + 1] != null ? bounds[i + 1] : now;
        perStage.put(stages[i], Duration.between(bounds[i], end).isNegative() ? Duration.ZERO
            : Duration.between(bounds[i], end));
        if (i + 1 < bounds.length && bounds[i + 1] == null) {
          break;
        }
      }
    }
    Double estimate = d.estimate() == null ? null : d.estimate().hours();
    return new TimeSpent(estimate, started, started == null ? Duration.ZERO : Duration.between(started, now),
        Duration.ofMillis(Math.round(compute * 1000)), perStage);
  }

  private static Instant first(List<RunRecord> runs, Predicate<RunRecord> which) {
    return runs.stream().filter(which).map(RunRecord::started).filter(Objects::nonNull)
        .min(Instant::compareTo).orElse(null);
  }
}
