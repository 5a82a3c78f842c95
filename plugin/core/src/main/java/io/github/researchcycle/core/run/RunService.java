package io.github.researchcycle.core.run;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.config.ExperimentResolver;
import io.github.researchcycle.core.config.ResolvedConfig;
import io.github.researchcycle.core.cycle.Cycle;
import io.github.researchcycle.core.data.DataCache;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.core.git.GitProvenance;
import io.github.researchcycle.core.launch.Classpaths;
import io.github.researchcycle.core.launch.LaunchProfile;
import io.github.researchcycle.core.launch.LaunchProfiles;
import io.github.researchcycle.core.launch.TrainingProcess;
import io.github.researchcycle.core.render.Templates;
import io.github.researchcycle.core.store.Checkpoints;
import io.github.researchcycle.core.store.Json;
import io.github.researchcycle.core.store.MetricLine;
import io.github.researchcycle.core.store.MetricsReader;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.core.store.RunIds;
import io.github.researchcycle.core.store.RunRecord;
import io.github.researchcycle.core.store.RunStatus;
import io.github.researchcycle.core.store.RunStore;
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
import java.util.stream.Collectors;

/**
 * {@code research:run}: resolves the experiment, checks git, creates one run record per seed,
 * forks the training JVM and completes the record from what the run left in its folder.
 */
public final class RunService {
  /** The system property that tells the training process its run folder. */
  public static final String RUN_DIR_PROPERTY = "research.run.dir";
  /** The system property that tells the training process to continue from its last checkpoint. */
  public static final String RESUME_PROPERTY = "research.resume";
  /** The system property that tells the training process whether it may draw progress bars. */
  public static final String CONSOLE_PROPERTY = "research.console";

  private final Clock clock;
  private final RunIds ids;
  private final ProcessProbe probe;
  private final String host;
  private final Path dataCache;

  /** A service with injected clock, id source, process probe and host name (for tests). */
  public RunService(Clock clock, RunIds ids, ProcessProbe probe, String host) {
    this(clock, ids, probe, host, null);
  }

  private RunService(Clock clock, RunIds ids, ProcessProbe probe, String host, Path dataCache) {
    this.clock = clock;
    this.ids = ids;
    this.probe = probe;
    this.host = host;
    this.dataCache = dataCache;
  }

  /** This service with its data sets in {@code cache} (default: {@link DataCache#locate}). */
  public RunService withDataCache(Path cache) {
    return new RunService(clock, ids, probe, host, cache);
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
    return new RunStore(projectDir.resolve("runs"), clock, ids, probe);
  }

  /** Runs the request: one outcome per seed, or the one resumed run. */
  public List<RunOutcome> run(RunRequest request, Reporter reporter) throws IOException {
    Path root = request.projectDir();
    Descriptor descriptor = DescriptorLoader.load(root);
    RunStore store = store(root);
    // Listed once: the gates below only look at finished runs, which reconciling does not change.
    List<RunRecord> records = store.list();
    for (RunRecord crashed : store.reconcile(host, records)) {
      reporter.warn("Run " + crashed.id() + " (" + crashed.experiment() + ") was still marked running, but "
          + crashed.reason() + "; recorded as crashed.");
    }
    if (request.resume() != null && !request.resume().isBlank()) {
      return List.of(resume(request, descriptor, store, reporter));
    }
    if (request.seedsOrDefault() < 1) {
      throw new ResearchException("-Dresearch.seeds=" + request.seedsOrDefault() + ": at least one seed is needed. "
          + "Fix: -Dresearch.seeds=1 or more.");
    }
    String experiment = request.experimentOrDefault();
    ResolvedConfig config = new ExperimentResolver(root).resolve(experiment,
        request.overrides() == null ? List.of() : request.overrides());
    String profileName = request.profileOrDefault();
    LaunchProfile profile = LaunchProfiles.load(root, profileName);
    GitProvenance git = GitInspector.inspect(root);
    checkTree(git, experiment, request.allowDirty(), reporter);
    Cycle.checkRunGates(root, descriptor, experiment, profileName, git, records);
    checkMainClass(request.classpath(), config, root);
    DataService.Prepared data = data(root).prepareForRun(config.values(), request.fullDataCheck(), reporter);

    List<RunOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < request.seedsOrDefault(); i++) {
      long seed = request.seedOrDefault() + i;
      String id = store.createDir();
      RunRecord record = new RunRecord(RunRecord.SCHEMA, id, experiment, profileName, RunStatus.RUNNING, null,
          clock.instant(), null, null, null, host, null, git, !git.clean(), config.values(), config.hash(),
          config.sources(), config.overrides(), config.mainClass(), seed, null,
          data.hashes().isEmpty() ? null : new TreeMap<>(data.hashes()), null, null, null);
      store.write(record);
      reporter.info("Run " + id + ": experiment " + experiment + ", seed " + seed + ", profile " + profileName
          + (request.seedsOrDefault() > 1 ? " (" + (i + 1) + " of " + request.seedsOrDefault() + ")" : ""));
      outcomes.add(execute(store, record, profile, request, false, descriptor, data.properties(), reporter));
    }
    return outcomes;
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
        + "` run must be traceable to a commit. Fix: commit them (git add -A && git commit), or pass "
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
    LaunchProfile profile = LaunchProfiles.load(request.projectDir(), record.profile());
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
    return execute(store, resumed, profile, request, true, descriptor, data.properties(), reporter);
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

  private RunOutcome execute(RunStore store, RunRecord record, LaunchProfile profile, RunRequest request,
      boolean resuming, Descriptor descriptor, Map<String, String> properties, Reporter reporter) throws IOException {
    Path dir = store.dir(record.id());
    List<String> command = command(dir, profile, request.classpath(), record.mainClass(), resuming, reporter.terminal(),
        properties);
    Map<String, String> env = new TreeMap<>(profile.envOrEmpty());
    Files.writeString(dir.resolve("launch.sh"), new Templates(request.projectDir().resolve("writeup/templates"))
        .render("launch/local.sh.vm", Map.of("runId", record.id(), "experiment", record.experiment(),
            "seed", record.seed(), "profile", record.profile(), "pluginVersion", String.valueOf(request.pluginVersion()),
            "workDir", request.projectDir().toAbsolutePath().toString(), "envNames", List.copyOf(env.keySet()),
            "env", env, "command", command)));
    RunRecord[] running = {record};
    Thread[] hook = {null};
    int code;
    try {
      code = TrainingProcess.run(command, request.projectDir(), env, reporter.console(), dir.resolve(RunStore.OUTPUT_LOG),
          process -> {
            running[0] = record.launched(process.pid(),
                new RunRecord.Launcher("local", command, profile.heapOrDefault(), null));
            store.write(running[0]);
            RunRecord launched = running[0];
            hook[0] = new Thread(() -> interruptedByShutdown(store, launched, process), "research-run-shutdown");
            Runtime.getRuntime().addShutdownHook(hook[0]);
          });
    } catch (IOException e) {
      RunRecord failed = record.ended(RunStatus.FAILED, "the training JVM could not be started: " + e.getMessage(),
          clock.instant(), null);
      store.write(failed);
      throw new ResearchException("Run " + record.id() + " could not start " + command.get(0) + ": " + e.getMessage()
          + ". Recorded as failed in runs/" + record.id() + "/run.json. Fix: check JAVA_HOME.", e);
    } finally {
      if (hook[0] != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook[0]);
        } catch (IllegalStateException e) {
          // The JVM is shutting down: the hook records the run.
        }
      }
    }
    RunRecord done = complete(dir, running[0], code);
    store.write(done);
    return outcome(done, dir, descriptor);
  }

  private void interruptedByShutdown(RunStore store, RunRecord running, Process process) {
    process.destroy();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      Path dir = store.dir(running.id());
      RunRecord done = complete(dir, running, process.isAlive() ? 143 : process.exitValue());
      store.write(done.ended(RunStatus.INTERRUPTED, "Maven was stopped while the run was going", done.ended(),
          done.exitCode()));
    } catch (IOException | InterruptedException | IllegalThreadStateException e) {
      // Nothing more can be done while the JVM exits; the next run or status call reconciles it.
    }
  }

  private RunRecord complete(Path dir, RunRecord running, int code) throws IOException {
    RunStatus status;
    String reason;
    if (code == 0) {
      status = RunStatus.FINISHED;
      reason = null;
    } else if (code == 130 || code == 143) {
      status = RunStatus.INTERRUPTED;
      reason = "stopped by " + (code == 130 ? "SIGINT (Ctrl-C)" : "SIGTERM");
    } else if (code > 128) {
      status = RunStatus.CRASHED;
      reason = "killed by signal " + (code - 128) + (code == 137 ? " (SIGKILL: killed, or out of memory)" : "");
    } else {
      status = RunStatus.FAILED;
      reason = "the training process exited with code " + code + "; see runs/" + running.id() + "/output.log";
    }
    Map<String, Object> environment = readEnvironment(dir);
    Map<String, Double> finals = MetricsReader.finalValues(dir.resolve(RunStore.METRICS));
    return running.observed(environment, finals).ended(status, reason, clock.instant(), code);
  }

  private static Map<String, Object> readEnvironment(Path dir) {
    Path file = dir.resolve(RunStore.ENVIRONMENT);
    Map<String, Object> env = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      try {
        env.putAll(Json.mapper().readValue(file.toFile(), new TypeReference<Map<String, Object>>() {}));
      } catch (IOException e) {
        env.put("error", "environment.json unreadable: " + e.getMessage());
      }
    }
    return env.isEmpty() ? null : env;
  }

  private static RunOutcome outcome(RunRecord record, Path dir, Descriptor descriptor) {
    Map<String, Double> finals = record.finalMetrics() == null ? Map.of() : record.finalMetrics();
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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + profile.heapOrDefault());
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-Dfile.encoding=UTF-8");
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(profile.jvmArgsOrEmpty());
    cmd.add("-D" + RUN_DIR_PROPERTY + "=" + dir.toAbsolutePath());
    cmd.add("-D" + CONSOLE_PROPERTY + "=" + (terminal ? "ansi" : "plain"));
    if (resuming) {
      cmd.add("-D" + RESUME_PROPERTY + "=true");
    }
    new TreeMap<>(properties).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
    cmd.add(mainClass);
    return cmd;
  }
}
