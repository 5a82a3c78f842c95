package io.github.researchcycle.core.run;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.config.ExperimentResolver;
import io.github.researchcycle.core.config.RecordCheck;
import io.github.researchcycle.core.config.ResolvedConfig;
import io.github.researchcycle.core.cycle.Cycle;
import io.github.researchcycle.core.data.DataCache;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.CommitFix;
import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.core.launch.ClassSnapshots;
import io.github.researchcycle.core.launch.Classpaths;
import io.github.researchcycle.core.launch.Devices;
import io.github.researchcycle.core.launch.LaunchContext;
import io.github.researchcycle.core.launch.LaunchProfile;
import io.github.researchcycle.core.launch.LaunchProfiles;
import io.github.researchcycle.core.launch.Launcher;
import io.github.researchcycle.core.launch.Launchers;
import io.github.researchcycle.core.launch.LocalLauncher;
import io.github.researchcycle.core.ledger.LedgerRecorder;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.Checkpoints;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.MetricsReader;
import io.github.researchcycle.model.RunFiles;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * {@code research:run}: resolves the experiment, checks git, creates one run record per seed,
 * forks the training JVM and completes the record from what the run left in its folder.
 */
public final class RunService {
  /** The system property that tells the training process its run folder. */
  public static final String RUN_DIR_PROPERTY = LaunchContext.RUN_DIR_PROPERTY;
  /** The system property that tells the training process to continue from its last checkpoint. */
  public static final String RESUME_PROPERTY = LaunchContext.RESUME_PROPERTY;
  /** The system property that tells the training process whether it may draw progress bars. */
  public static final String CONSOLE_PROPERTY = LaunchContext.CONSOLE_PROPERTY;

  private final Clock clock;
  private final RunIds ids;
  private final ProcessProbe probe;
  private final String host;
  private final Path dataCache;
  private final Launchers launchers;

  /** A service with injected clock, id source, process probe and host name (for tests). */
  public RunService(Clock clock, RunIds ids, ProcessProbe probe, String host) {
    this(clock, ids, probe, host, null, Launchers.system());
  }

  private RunService(Clock clock, RunIds ids, ProcessProbe probe, String host, Path dataCache, Launchers launchers) {
    this.clock = clock;
    this.ids = ids;
    this.probe = probe;
    this.host = host;
    this.dataCache = dataCache;
    this.launchers = launchers;
  }

  /** This service with its data sets in {@code cache} (default: {@link DataCache#locate}). */
  public RunService withDataCache(Path cache) {
    return new RunService(clock, ids, probe, host, cache, launchers);
  }

  /** This service with other launchers (a scheduler client for tests, for example). */
  public RunService withLaunchers(Launchers newLaunchers) {
    return new RunService(clock, ids, probe, host, dataCache, newLaunchers);
  }

  /** The launchers of this service. */
  public Launchers launchers() {
    return launchers;
  }

  /**
   * One run to start: its overrides (on top of the request's), its seed, and the sweep point it
   * stands for (or null).
   *
   * @param overrides {@code key=value} overrides of this run
   * @param seed its seed
   * @param sweep its sweep, or null
   */
  public record Point(List<String> overrides, long seed, RunRecord.Sweep sweep) {}

  /**
   * Marks as crashed the local runs whose process is gone, and asks the schedulers about theirs;
   * returns the records with the changes in place.
   */
  public List<RunRecord> reconciled(RunStore store, Reporter reporter) throws IOException {
    List<RunRecord> records = store.list();
    store.unreadable().forEach(reporter::warn);
    List<RunRecord> changed = new ArrayList<>(store.reconcile(host, records));
    for (RunRecord crashed : changed) {
      reporter.warn("Run " + crashed.id() + " (" + crashed.experiment() + ") was still marked running, but "
          + crashed.reason() + "; recorded as crashed.");
    }
    for (RunRecord r : launchers.reconcile(store, records)) {
      reporter.info("Run " + r.id() + " (" + r.experiment() + "): " + r.status().json()
          + (r.reason() == null ? "" : " (" + r.reason() + ")"));
      changed.add(r);
    }
    return Launchers.replace(records, changed);
  }

  /** The data sets of a research repository, in this service's cache. */
  private DataService data(Path root) {
    return new DataService(root, dataCache != null ? new DataCache(dataCache) : DataCache.located(null));
  }

  /** The service as used in production: system clock, secure ids, this host. */
  public static RunService system() {
    return new RunService(Clock.systemUTC(), new RunIds(Clock.systemUTC(), new SecureRandom()),
        ProcessProbe.system(), hostName());
  }

  /** This machine's host name, or "localhost" when it has none. */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** The run store of a research repository. */
  public RunStore store(Path projectDir) {
    return new RunStore(projectDir.resolve(RunFiles.RUNS), clock, ids, probe)
        .listening(new LedgerRecorder(projectDir, clock));
  }

  /** Runs the request: one outcome per seed, or the one resumed run. */
  public List<RunOutcome> run(RunRequest request, Reporter reporter) throws IOException {
    if (request.resume() != null && !request.resume().isBlank()) {
      if (request.dryRun()) {
        throw new ResearchException("-Dresearch.dryRun=true with -Dresearch.resume: a resumption continues a run, it "
            + "cannot be written without starting it. Fix: drop one of the two.");
      }
      Descriptor descriptor = DescriptorLoader.load(request.projectDir());
      RunStore store = store(request.projectDir());
      reconciled(store, reporter);
      return List.of(resume(request, descriptor, store, reporter));
    }
    if (request.seedsOrDefault() < 1) {
      throw new ResearchException("-Dresearch.seeds=" + request.seedsOrDefault() + ": at least one seed is needed. "
          + "Fix: -Dresearch.seeds=1 or more.");
    }
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < request.seedsOrDefault(); i++) {
      points.add(new Point(List.of(), request.seedOrDefault() + i, null));
    }
    return runPoints(request, points, null, Map.of(), reporter);
  }

  /**
   * Runs one experiment at several points (seeds, sweep points): checks everything once, then
   * creates a record per point and launches them on the profile's target.
   *
   * @param purpose null for experiment runs, {@link RunRecord#LR_FIND} for a learning-rate test
   * @param properties further system properties of the training JVM
   */
  public List<RunOutcome> runPoints(RunRequest request, List<Point> points, String purpose,
      Map<String, String> properties, Reporter reporter) throws IOException {
    Path root = request.projectDir();
    // The git check runs beside the reading of the files (in a cold JVM both are mostly class
    // loading); its answer, or its error, is taken where the check has always been.
    CompletableFuture<GitProvenance> gitCheck =
        CompletableFuture.supplyAsync(() -> GitInspector.inspect(root));
    Descriptor descriptor = DescriptorLoader.load(root);
    RunStore store = store(root);
    // Listed once: the gates below only look at finished runs, which reconciling does not change.
    List<RunRecord> records = reconciled(store, reporter);
    String experiment = request.experimentOrDefault();
    List<ResolvedConfig> configs = new ArrayList<>();
    ExperimentResolver resolver = new ExperimentResolver(root);
    for (Point p : points) {
      List<String> overrides = new ArrayList<>(request.overrides() == null ? List.of() : request.overrides());
      overrides.addAll(p.overrides());
      configs.add(resolver.resolve(experiment, overrides));
    }
    String profileName = request.profileOrDefault();
    LaunchProfile profile = LaunchProfiles.load(root, profileName);
    Devices.checkBeforeLaunch(profileName, profile, request.classpath());
    String target = profile.targetOrDefault();
    Launcher launcher = launchers.of(target);
    // Before the data set is fetched: a missing sbatch, kubectl or cluster is said at once.
    launcher.check(profileName, profile, request.dryRun());
    GitProvenance git = joined(gitCheck);
    boolean exploratory = RunRequest.DEFAULT_EXPERIMENT.equals(experiment) || purpose != null;
    checkTree(git, experiment, exploratory || request.allowDirty(), reporter);
    if (purpose == null) {
      Cycle.checkRunGates(root, descriptor, experiment, profileName, git, records);
    }
    // The run's start goes into the ledger: a ledger the plugin cannot read stops it before any folder.
    Ledger.read(LedgerRecorder.file(root));
    ResolvedConfig first = configs.isEmpty() ? resolver.resolve(experiment, List.of()) : configs.get(0);
    if (configs.stream().map(c -> c.values().path("data").path("name").asText("")).distinct().count() > 1) {
      throw new ResearchException("The runs name different data sets (data.name); one launch checks and passes one "
          + "data set. Fix: run one sweep (or run) per data set, with -Dresearch.set=data.name=NAME.");
    }
    // Launched from a copy of the compiled classes: another research:run compiling at the same time
    // cannot change them under this one.
    List<Path> classpath = target.equals("local") && !request.dryRun()
        ? new ClassSnapshots().snapshot(root, request.classpath(), first.mainClass()) : request.classpath();
    checkMainClass(classpath, first, root);
    for (ResolvedConfig c : configs.isEmpty() ? List.of(first) : configs) {
      RecordCheck.check(root, c, classpath);
    }
    DataService.Prepared data = data(root).prepareForRun(first.values(), request.fullDataCheck(), reporter);
    Map<String, String> jvmProperties = new TreeMap<>(data.properties());
    jvmProperties.putAll(properties);
    int parallel = request.parallel() != null ? request.parallel() : profile.parallelOrDefault();
    if (parallel < 1) {
      throw new ResearchException("-Dresearch.parallel=" + parallel + ": at least 1. Fix: -Dresearch.parallel=1 or more.");
    }
    Creator creator = (i, status, launchDetails) -> {
      Point p = points.get(i);
      ResolvedConfig config = configs.get(i);
      String id = store.createDir();
      RunRecord record = new RunRecord(RunRecord.SCHEMA, id, experiment, profileName, status, null,
          clock.instant(), null, null, null, host, null, git, !git.clean(), config.values(), config.hash(),
          config.sources(), config.overrides(), config.mainClass(), p.seed(), null,
          data.hashes().isEmpty() ? null : new TreeMap<>(data.hashes()), launchDetails, null, null, purpose, p.sweep());
      store.write(record);
      reporter.info("Run " + id + ": experiment " + experiment + ", seed " + p.seed() + ", profile " + profileName
          + (p.sweep() == null ? "" : ", " + p.sweep().point())
          + (points.size() > 1 ? " (" + (i + 1) + " of " + points.size() + ")" : ""));
      return record;
    };
    List<RunRecord> done;
    if (target.equals("local")) {
      done = runLocally(request, classpath, profileName, profile, jvmProperties, parallel, points.size(), creator,
          store, reporter);
    } else {
      List<RunRecord> queued = new ArrayList<>();
      for (int i = 0; i < points.size(); i++) {
        queued.add(creator.create(i, RunStatus.QUEUED, new RunRecord.Launcher(target, null,
            profile.heapOrDefault(), null, null, null, profile.devices(), null)));
      }
      LaunchContext context = new LaunchContext(root, store, profileName, profile, request.classpath(), jvmProperties,
          false, reporter, request.pluginVersion(), request.waitOrDefault(), request.dryRun(), parallel, clock);
      try {
        done = launcher.launch(context, queued);
      } catch (IOException | RuntimeException e) {
        failUnsubmitted(store, queued, e);
        throw e;
      }
      if (request.dryRun()) {
        done = markDryRun(store, done);
      }
    }
    List<RunOutcome> outcomes = new ArrayList<>();
    for (RunRecord r : done) {
      outcomes.add(outcome(r, store.dir(r.id()), descriptor));
    }
    return outcomes;
  }

  /**
   * Records still queued after a dry run say so ({@link RunRecord#DRY_RUN}): they are not counted as
   * going, never reconciled with a scheduler, and never pin the pre-registration.
   */
  private static List<RunRecord> markDryRun(RunStore store, List<RunRecord> records) throws IOException {
    List<RunRecord> out = new ArrayList<>();
    for (RunRecord r : records) {
      if (r.status() == RunStatus.QUEUED && r.launcher() != null) {
        r = r.withLauncher(r.launcher().withSchedulerState(RunRecord.DRY_RUN));
        store.write(r);
      }
      out.add(r);
    }
    return out;
  }

  /**
   * After a launcher failed: records it left queued without a job id were never submitted, so
   * nothing would ever end them; they are recorded as failed with the launcher's words.
   */
  private void failUnsubmitted(RunStore store, List<RunRecord> queued, Exception cause) {
    for (RunRecord q : queued) {
      try {
        RunRecord now = store.read(q.id());
        if (now.status() == RunStatus.QUEUED && (now.launcher() == null || now.launcher().jobId() == null)) {
          store.write(now.ended(RunStatus.FAILED, "never submitted: " + cause.getMessage(), clock.instant(), null));
        }
      } catch (IOException | RuntimeException e) {
        // The original failure is the one to report.
      }
    }
  }

  /** The value of a background check, with its own exception (a user error stays one message). */
  private static <T> T joined(CompletableFuture<T> check) {
    try {
      return check.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /** Creates the record of point {@code index}, with a status and launch details. */
  @FunctionalInterface
  private interface Creator {
    RunRecord create(int index, RunStatus status, RunRecord.Launcher launcher) throws IOException;
  }

  /**
   * Local runs: each record is created just before its process starts (so that a record never
   * waits as "running" without a process), in sequence or {@code parallel} at a time.
   */
  private List<RunRecord> runLocally(RunRequest request, List<Path> classpath, String profileName,
      LaunchProfile profile,
      Map<String, String> jvmProperties, int parallel, int count, Creator creator, RunStore store, Reporter reporter)
      throws IOException {
    Launcher local = launchers.of("local");
    int threads = Math.min(parallel, count);
    Reporter quiet = threads == 1 ? reporter : new Reporter() {
      @Override
      public void info(String line) {
        reporter.info(line);
      }

      @Override
      public void warn(String line) {
        reporter.warn(line);
      }

      @Override
      public OutputStream console() {
        return OutputStream.nullOutputStream();
      }

      @Override
      public boolean terminal() {
        return false;
      }
    };
    LaunchContext context = new LaunchContext(request.projectDir(), store, profileName, profile, classpath,
        jvmProperties, false, quiet, request.pluginVersion(), true, request.dryRun(), parallel, clock);
    if (request.dryRun()) {
      // Written, not run: launch.sh shows the exact command; the record says it never ran.
      List<RunRecord> written = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        RunRecord r = creator.create(i, RunStatus.QUEUED, null);
        RunRecord w = r.withLauncher(LocalLauncher.writeScript(context, r).withSchedulerState(RunRecord.DRY_RUN));
        store.write(w);
        reporter.info("Dry run: wrote runs/" + w.id() + "/" + LocalLauncher.SCRIPT + "; nothing was started.");
        written.add(w);
      }
      return written;
    }
    if (threads == 1) {
      List<RunRecord> done = new ArrayList<>();
      for (int i = 0; i < count && !stopping(local); i++) {
        done.addAll(local.launch(context, List.of(creator.create(i, RunStatus.RUNNING, null))));
      }
      return done;
    }
    reporter.info("Running " + count + " runs, " + threads + " at a time; each run's output goes to its output.log");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<RunRecord>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          if (stopping(local)) {
            return null;
          }
          RunRecord done = local.launch(context, List.of(creator.create(index, RunStatus.RUNNING, null))).get(0);
          reporter.info("Run " + done.id() + " " + done.status().json());
          return done;
        }));
      }
      List<RunRecord> done = new ArrayList<>();
      for (var f : futures) {
        RunRecord r = f.get();
        if (r != null) {
          done.add(r);
        }
      }
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResearchException("Interrupted while runs were going; the next research:run or research:status "
          + "records how they ended.", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    } finally {
      // After a failure, runs not yet started are not started.
      pool.shutdownNow();
    }
  }

  /** Whether Maven is being stopped (SIGTERM, Ctrl-C): then no further local run starts. */
  private static boolean stopping(Launcher local) {
    return local instanceof LocalLauncher l && l.stopping();
  }

  private static void checkTree(GitProvenance git, String experiment, boolean allowDirty, Reporter reporter) {
    if (git.clean()) {
      return;
    }
    String files = String.join(", ", git.changedFiles());
    if (RunRequest.DEFAULT_EXPERIMENT.equals(experiment) || allowDirty) {
      reporter.warn("Uncommitted changes (" + files + "): this run is recorded as dirty"
          + " (diff " + git.diffHash().substring(0, 19) + "…) and cannot back a published claim.");
      return;
    }
    throw new GateException("The tree has uncommitted changes (" + files + "), and a `" + experiment
        + "` run must be traceable to a commit. Fix: commit them (" + CommitFix.command(git.changedFiles(),
            "Commit the changes") + "), or pass "
        + "-Dresearch.allowDirty=true to record a dirty run that cannot be published.");
  }

  private static void checkMainClass(List<Path> classpath, ResolvedConfig config, Path root) {
    if (!Classpaths.contains(classpath, config.mainClass())) {
      throw new ResearchException(config.sources().get(config.sources().size() - 1) + ": `main` names class "
          + config.mainClass() + ", which is not on the project's classpath. Fix: correct the class name "
          + "(with its package) in `main`, or add the class under src/main/java.");
    }
  }

  private RunOutcome resume(RunRequest request, Descriptor descriptor, RunStore store, Reporter reporter)
      throws IOException {
    String id = request.resume().trim();
    RunRecord record = store.read(id);
    Path dir = store.dir(id);
    if (record.status() == RunStatus.RUNNING) {
      throw new GateException("Run " + id + " is still running (pid " + record.pid() + " on " + record.host()
          + "); nothing to resume. Fix: wait for it, or stop it first.");
    }
    if (!record.status().resumable()) {
      throw new GateException("Run " + id + " already finished; nothing to resume. Fix: start a new run with "
          + "mvn research:run -Dresearch.experiment=" + record.experiment() + ".");
    }
    GitProvenance git = GitInspector.inspect(request.projectDir());
    if (!git.commit().equals(record.git().commit())) {
      throw new GateException("Run " + id + " ran at commit " + record.git().commit().substring(0, 12) + ", but HEAD is "
          + git.commit().substring(0, 12) + "; a resumed run must continue the same code. Fix: git checkout "
          + record.git().commit().substring(0, 12) + " (then come back with git switch -).");
    }
    checkTree(git, record.experiment(), request.allowDirty() || record.allowDirty(), reporter);
    Ledger.read(LedgerRecorder.file(request.projectDir()));
    LaunchProfile profile = LaunchProfiles.load(request.projectDir(), record.profile());
    Devices.checkBeforeLaunch(record.profile(), profile, request.classpath());
    launchers.of(profile.targetOrDefault()).check(record.profile(), profile, request.dryRun());
    DataService.Prepared data = data(request.projectDir()).prepareForRun(record.config(), request.fullDataCheck(),
        reporter);
    var checkpoint = Checkpoints.latest(dir);
    int attempt = (record.resumes() == null ? 0 : record.resumes().size()) + 1;
    keepMetricsUpTo(dir, checkpoint.orElse(null), attempt);
    String checkpointRel = checkpoint.map(c -> dir.relativize(c).toString()).orElse(null);
    RunRecord resumed = record.resumed(new RunRecord.Resume(clock.instant(), record.status(), checkpointRel), git, host);
    store.write(resumed);
    reporter.info("Resuming run " + id + " (" + record.status().json() + ") from "
        + (checkpointRel == null ? "the start: it left no checkpoint" : checkpointRel));
    List<Path> classpath = profile.targetOrDefault().equals("local")
        ? new ClassSnapshots().snapshot(request.projectDir(), request.classpath(), record.mainClass())
        : request.classpath();
    LaunchContext context = new LaunchContext(request.projectDir(), store, record.profile(), profile,
        classpath, data.properties(), true, reporter, request.pluginVersion(), request.waitOrDefault(),
        request.dryRun(), 1, clock);
    RunRecord done = launchers.of(profile.targetOrDefault()).launch(context, List.of(resumed)).get(0);
    return outcome(done, dir, descriptor);
  }

  /**
   * Before a resumption: the metric lines of the failed attempt are kept as
   * {@code metrics.attempt-N.jsonl}, and {@code metrics.jsonl} keeps those up to the checkpoint.
   */
  private static void keepMetricsUpTo(Path dir, Path checkpoint, int attempt) throws IOException {
    Path metrics = dir.resolve(RunStore.METRICS);
    if (!Files.exists(metrics)) {
      return;
    }
    Files.copy(metrics, dir.resolve("metrics.attempt-" + attempt + ".jsonl"));
    int epochsDone = 0;
    long step = 0;
    if (checkpoint != null) {
      var state = Json.mapper().readTree(checkpoint.resolve(Checkpoints.STATE).toFile());
      epochsDone = state.path("epochsDone").asInt();
      step = state.path("step").asLong();
    }
    StringBuilder kept = new StringBuilder();
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      MetricLine parsed = MetricsReader.parseLine(line);
      if (parsed != null && parsed.epoch() < epochsDone && parsed.step() <= step) {
        kept.append(line).append('\n');
      }
    }
    Json.writeAtomically(metrics, kept.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static RunOutcome outcome(RunRecord record, Path dir, Descriptor descriptor) {
    Map<String, Double> finals = record.finalMetrics() == null || !record.isExperimentRun() ? Map.of()
        : record.finalMetrics();
    String metric = descriptor.metric() != null ? descriptor.metric().name() : null;
    if (metric == null || !finals.containsKey(metric)) {
      metric = finals.keySet().stream().reduce((a, b) -> b).orElse(null);
    }
    return new RunOutcome(record, dir, metric, metric == null ? null : finals.get(metric));
  }

  /** The exact command line of the training JVM. */
  public static List<String> command(Path dir, LaunchProfile profile, List<Path> classpath, String mainClass,
      boolean resuming, boolean terminal) {
    return command(dir, profile, classpath, mainClass, resuming, terminal, Map.of());
  }

  /**
   * The exact command line of the training JVM, with further system properties (the data sets'
   * folders, {@code research.data.dir.NAME}).
   */
  public static List<String> command(Path dir, LaunchProfile profile, List<Path> classpath, String mainClass,
      boolean resuming, boolean terminal, Map<String, String> properties) {
    return LaunchContext.javaCommand(profile, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        dir.toAbsolutePath().toString(),
        classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)), mainClass,
        resuming, terminal, properties);
  }
}
