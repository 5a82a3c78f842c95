package io.github.researchcycle.core.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.FileTrees;
import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.data.DataCache;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.core.git.UnpackedBundle;
import io.github.researchcycle.core.launch.LaunchProfile;
import io.github.researchcycle.core.launch.LaunchProfiles;
import io.github.researchcycle.core.launch.TrainingProcess;
import io.github.researchcycle.core.ledger.LedgerFile;
import io.github.researchcycle.core.ledger.LedgerRecorder;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.MetricsReader;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEvent;
import io.github.researchcycle.model.ledger.Sha256;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;

/**
 * {@code research:verify}: re-runs a recorded run from its commit (a temporary checkout, rebuilt
 * offline with Maven), its resolved config and its seed, and compares every final metric with the
 * record. On the CPU the numbers must be bit-identical; elsewhere a declared tolerance applies. The
 * result is written next to the run as {@code verification.json}, the re-run under
 * {@code verify/STAMP/}.
 */
public final class VerifyService {
  /** The user property of the tolerance (declared for the Mojo in PropertyNames). */
  static final String TOLERANCE_PROPERTY = "research.tolerance";

  /** The verification's file in a run folder. */
  public static final String FILE = "verification.json";

  /** The property through which the classpath goal learns which file to write. */
  public static final String CLASSPATH_FILE_PROPERTY = "research.classpathFile";

  /**
   * The classpath goal when the request names none: by prefix, resolved through the checkout's own
   * pom, which declares research-maven-plugin with its version.
   */
  static final String DEFAULT_CLASSPATH_GOAL = "research:classpath";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final RunService runs;
  private final Clock clock;

  /** A service over the run store of {@code runs}. */
  public VerifyService(RunService runs, Clock clock) {
    this.runs = runs;
    this.clock = clock;
  }

  /** Verifies the requested run and records the result. */
  public Verification verify(VerifyRequest request, Reporter reporter) throws IOException {
    double tolerance = request.tolerance() == null ? 0 : request.tolerance();
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new ResearchException("-D" + TOLERANCE_PROPERTY + "=" + request.tolerance() + " is not a tolerance: it is "
          + "the largest difference allowed between a recorded and a re-run metric. Fix: 0 (bit for bit, the default "
          + "on a CPU) or a small positive number such as 1e-6.");
    }
    Path root = request.projectDir();
    if (UnpackedBundle.at(root)) {
      throw new GateException(UnpackedBundle.refusal(root, "mvn research:verify"));
    }
    Descriptor descriptor = DescriptorLoader.load(root);
    RunStore store = runs.store(root);
    RunRecord record = request.runId() == null || request.runId().isBlank()
        ? defaultRun(descriptor, store) : store.read(request.runId().trim());
    if (record.status() != RunStatus.FINISHED) {
      throw new GateException("Run " + record.id() + " is " + record.status().json() + "; only a finished run can be "
          + "verified. Fix: pick a finished run (mvn research:compare -Dresearch.status=finished).");
    }
    if (record.git() == null || !record.git().clean()) {
      throw new GateException("Run " + record.id() + " ran on uncommitted changes, which no checkout can restore. "
          + "Fix: verify a run made from a clean tree.");
    }
    Path runDir = store.dir(record.id());
    String stamp = STAMP.format(clock.instant());
    Path verifyDir = runDir.resolve("verify").resolve(stamp);
    Files.createDirectories(verifyDir.resolve(RunStore.ARTIFACTS));
    Path checkout = Files.createTempDirectory("research-verify-");
    try {
      reporter.info("Checking out commit " + record.git().commit().substring(0, 12) + " into " + checkout);
      Path folder = checkout(root, record.git().commit(), checkout);
      reporter.info("Building it offline with Maven");
      List<Path> classpath = build(folder, record.git().commit(), request, reporter, verifyDir);
      replay(record, folder, classpath, verifyDir, reporter);
      Verification v = compare(record, runDir, verifyDir, tolerance, runDir.relativize(verifyDir).toString(),
          clock.instant());
      Json.writeAtomically(runDir.resolve(FILE), v);
      LedgerFile.append(root, new LedgerEvent.Verified(record.id(), v.passed(), tolerance,
          Sha256.ofFile(runDir.resolve(FILE))), clock.instant());
      return v;
    } finally {
      try {
        FileTrees.delete(checkout);
      } catch (IOException e) {
        // A temporary folder left behind is harmless.
      }
    }
  }

  /**
   * Re-runs a recorded run's training, with its config and seed, from the code in {@code workDir}
   * on {@code classpath}, into {@code outDir} (which gets run.json, metrics.jsonl, output.log).
   */
  public static void replay(RunRecord record, Path workDir, List<Path> classpath, Path outDir, Reporter reporter)
      throws IOException {
    Files.createDirectories(outDir.resolve(RunStore.ARTIFACTS));
    ObjectNode replay = Json.mapper().valueToTree(record);
    replay.put("status", RunStatus.RUNNING.json());
    replay.remove("finalMetrics");
    Json.writeAtomically(outDir.resolve(RunStore.RUN_JSON), replay);
    LaunchProfile profile = Files.isRegularFile(workDir.resolve("launch").resolve(record.profile() + ".yaml"))
        ? LaunchProfiles.load(workDir, record.profile()) : LaunchProfiles.load(workDir, "local");
    // The data sets are checked again (from the shared cache, fetched if missing) and passed in.
    DataService.Prepared data = new DataService(workDir, DataCache.located(null))
        .prepareForRun(record.config(), false, reporter);
    List<String> command = RunService.command(outDir, profile, classpath, record.mainClass(), false,
        reporter.terminal(), data.properties());
    reporter.info("Re-running " + record.id() + ": " + record.experiment() + " with seed " + record.seed());
    int code = TrainingProcess.run(command, workDir, profile.envOrEmpty(), reporter.console(),
        outDir.resolve(RunStore.OUTPUT_LOG), p -> { });
    if (code != 0) {
      throw new ResearchException("The re-run of " + record.id() + " exited with code " + code + "; see "
          + outDir.resolve(RunStore.OUTPUT_LOG) + ". Nothing was recorded as reproduced.");
    }
  }

  /** The newest finished clean run of the method experiment, or of any experiment but smoke. */
  static RunRecord defaultRun(Descriptor d, RunStore store) throws IOException {
    List<RunRecord> candidates = store.list().stream()
        .filter(r -> r.status() == RunStatus.FINISHED && r.backsClaims() && r.git() != null && r.git().clean())
        .sorted(Comparator.comparing(RunRecord::id).reversed()).toList();
    return candidates.stream().filter(r -> r.experiment().equals(d.method())).findFirst()
        .or(() -> candidates.stream().filter(r -> !"smoke".equals(r.experiment())).findFirst())
        .or(() -> candidates.stream().findFirst())
        .orElseThrow(() -> new GateException("No finished run from a clean tree to verify. Fix: mvn research:run "
            + "-Dresearch.experiment=" + (d.method() == null ? "baseline" : d.method()) + " first."));
  }

  /** Clones the repository into {@code into}, checks out {@code commit}; returns the research folder there. */
  static Path checkout(Path root, String commit, Path into) throws IOException {
    try (Repository repo = GitInspector.open(root)) {
      String prefix = GitInspector.prefix(repo, root);
      try (Git clone = Git.cloneRepository().setURI(repo.getDirectory().toURI().toString())
          .setDirectory(into.toFile()).call()) {
        clone.checkout().setName(commit).call();
      }
      return prefix.isEmpty() ? into : into.resolve(prefix);
    } catch (GitAPIException e) {
      throw new ResearchException("Cannot check out commit " + commit + " for verification: " + e.getMessage()
          + ". Fix: make sure the commit is in this repository (git fetch).", e);
    }
  }

  /**
   * The offline build of a checkout: the compile phase (whose plugins {@code research:run} ran and
   * resolved) and {@code classpathGoal} writing the runtime classpath to {@code cpFile}. It names no
   * plugin by prefix alone: an unversioned prefix would resolve to whatever version Maven's defaults
   * pick, which nothing may have downloaded.
   */
  static List<String> buildCommand(Path mvn, String classpathGoal, Path cpFile, Path localRepository) {
    List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-q", "-o", "compile", classpathGoal,
        "-D" + CLASSPATH_FILE_PROPERTY + "=" + cpFile));
    if (localRepository != null) {
      command.add("-Dmaven.repo.local=" + localRepository);
    }
    return command;
  }

  /** Compiles the checkout offline and returns its runtime classpath. */
  static List<Path> build(Path folder, String commit, VerifyRequest request, Reporter reporter, Path verifyDir)
      throws IOException {
    Path mvn = request.mavenHome() == null ? Path.of("mvn") : request.mavenHome().resolve("bin").resolve("mvn");
    Path cpFile = folder.resolve("target").resolve("research-classpath.txt");
    String goal = request.classpathGoal() == null ? DEFAULT_CLASSPATH_GOAL : request.classpathGoal();
    List<String> command = buildCommand(mvn, goal, cpFile, request.localRepository());
    Path log = verifyDir.resolve("build.log");
    int code = TrainingProcess.run(command, folder, Map.of(), reporter.console(), log, p -> { });
    if (code != 0 || !Files.isRegularFile(cpFile)) {
      throw new ResearchException("The checkout of commit " + commit + " does not build offline (exit code " + code
          + firstError(log) + "); see " + log + ". Fix: build that commit once online (check it out and run "
          + "mvn compile " + goal + " in its research folder), then verify again.");
    }
    List<Path> classpath = new ArrayList<>();
    classpath.add(folder.resolve("target").resolve("classes"));
    String cp = Files.readString(cpFile, StandardCharsets.UTF_8).strip();
    if (!cp.isEmpty()) {
      for (String element : cp.split(File.pathSeparator)) {
        classpath.add(Path.of(element));
      }
    }
    return classpath;
  }

  /** ": " and the first error line of a build log, or nothing. */
  static String firstError(Path log) {
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains("[ERROR]")).map(l -> l.replace("[ERROR]", "").strip())
          .filter(l -> !l.isEmpty()).findFirst()
          .map(l -> ": " + (l.length() > 300 ? l.substring(0, 300) + "…" : l)).orElse("");
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  /** Compares every final metric and the whole trajectory. */
  public static Verification compare(RunRecord record, Path runDir, Path verifyDir, double tolerance, String folder,
      Instant now) throws IOException {
    Map<String, Double> recorded = record.finalMetrics() == null ? Map.of() : record.finalMetrics();
    Map<String, Double> reproduced = MetricsReader.finalValues(verifyDir.resolve(RunStore.METRICS));
    Set<String> names = new LinkedHashSet<>(recorded.keySet());
    names.addAll(reproduced.keySet());
    List<Verification.MetricCheck> checks = new ArrayList<>();
    boolean passed = !names.isEmpty();
    for (String name : names) {
      Double a = recorded.get(name);
      Double b = reproduced.get(name);
      boolean identical = a != null && b != null && Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
      Double diff = a == null || b == null ? null : b - a;
      boolean within = identical || diff != null && Math.abs(diff) <= tolerance;
      passed &= within;
      checks.add(new Verification.MetricCheck(name, a, b, diff, identical));
    }
    boolean trajectory = same(MetricsReader.read(runDir.resolve(RunStore.METRICS)),
        MetricsReader.read(verifyDir.resolve(RunStore.METRICS)));
    Map<String, Object> env = new LinkedHashMap<>();
    Path envFile = verifyDir.resolve(RunStore.ENVIRONMENT);
    if (Files.isRegularFile(envFile)) {
      env.putAll(Json.mapper().readValue(envFile.toFile(), Map.class));
    }
    return new Verification(record.id(), now, record.git().commit(), tolerance, passed, trajectory,
        List.copyOf(checks), folder, env);
  }

  private static boolean same(List<MetricLine> a, List<MetricLine> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      MetricLine x = a.get(i);
      MetricLine y = b.get(i);
      if (x.step() != y.step() || x.epoch() != y.epoch() || !x.name().equals(y.name())
          || Double.doubleToLongBits(x.value()) != Double.doubleToLongBits(y.value())) {
        return false;
      }
    }
    return true;
  }

  /** Whether a run has a passing verification. */
  public static boolean verified(Path runDir) {
    Path file = runDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      return Json.mapper().readValue(file.toFile(), Verification.class).passed();
    } catch (IOException e) {
      return false;
    }
  }
}
