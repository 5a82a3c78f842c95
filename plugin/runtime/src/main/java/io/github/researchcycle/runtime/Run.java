package io.github.researchcycle.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.config.ExperimentResolver;
import io.github.researchcycle.core.config.ResolvedConfig;
import io.github.researchcycle.core.data.DataCache;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.core.launch.LaunchContext;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.ConfigBinding;
import io.github.researchcycle.model.DiskFull;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricsWriter;
import io.github.researchcycle.runtime.data.DataSets;
import io.github.researchcycle.runtime.data.DataSpec;
import io.github.researchcycle.runtime.data.SplitPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training process's handle on its run folder: the resolved config, the seed, the metrics log,
 * the artifacts folder, checkpoints and the progress display.
 *
 * <p>In a process started by {@code mvn research:run}, use {@link #current()}. In a unit test or
 * an IDE, use {@link #forExperiment}, which resolves the experiment the same way the plugin does
 * and writes into a folder of your choice. Opening a run seeds the engine with the run's seed.
 */
public final class Run implements AutoCloseable {
  /**
   * The research repository's folder, where {@code data/NAME.yaml} is read (default: the working
   * folder, which research:run sets to the repository).
   */
  public static final String PROJECT_DIR_PROPERTY = "research.project.dir";

  private final Path dir;
  private final String experiment;
  private final Config config;
  private final long seed;
  private final boolean resuming;
  private final MetricsWriter metrics;
  private final Map<String, Object> environment;
  private final ResearchListener listener;
  private EpochSampler sampler;
  private final Map<String, Path> dataDirs = new HashMap<>();
  private Path projectDir = Path.of(System.getProperty(PROJECT_DIR_PROPERTY, ""));
  private NDManager dataManager;
  private DataSets.Loaded data;
  private Thread shutdownHook;
  private boolean closed;
  private Launch launch = Launch.fromSystemProperties();
  private boolean lrFindTrackerIssued;
  private volatile long resumedSteps;
  private final Interruption interruption = new Interruption(System.err);

  private Run(Path dir, String experiment, ObjectNode config, long seed, boolean resuming) throws IOException {
    this.dir = dir;
    this.experiment = experiment;
    this.config = new Config(config, experiment);
    this.seed = seed;
    this.resuming = resuming;
    Files.createDirectories(dir.resolve(RunStore.ARTIFACTS));
    this.metrics = MetricsWriter.open(dir.resolve(RunStore.METRICS));
    this.environment = EnvironmentInfo.jvm();
    this.listener = new ResearchListener(this,
        Progress.forConsole(System.getProperty(RunService.CONSOLE_PROPERTY, "plain"), System.out, System::nanoTime));
    this.shutdownHook = new Thread(this::closeQuietly, "research-run-close");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    EnvironmentInfo.engine(environment);
    environment.put("seed", seed);
    writeEnvironment();
    if (environment.containsKey("engine")) {
      // Seeds the engine's generator and DJL's RandomUtils: parameter init, dropout, DJL samplers.
      Engine.getInstance().setRandomSeed((int) seed);
    }
  }

  /**
   * The run this process was started for by {@code research:run} (the folder comes from
   * {@code -Dresearch.run.dir}).
   */
  public static Run current() {
    // A mistake the researcher can fix (a config key the code reads but the experiment lacks, a
    // profile asking for GPUs that are not there) ends the process with its message, not a trace.
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      if (DiskFull.causedBy(e)) {
        new Interruption(System.err).diskFull(e);
      } else if (e instanceof ResearchException) {
        System.err.println("research-runtime: " + e.getMessage());
      } else if (previous != null) {
        previous.uncaughtException(thread, e);
      } else {
        e.printStackTrace();
      }
    });
    String dir = System.getProperty(RunService.RUN_DIR_PROPERTY);
    if (dir == null || dir.isBlank()) {
      throw new ResearchException("This process was not started by `mvn research:run` (no -D"
          + RunService.RUN_DIR_PROPERTY + "). Fix: start it with `mvn research:run`, or use "
          + "Run.forExperiment(projectDir, experiment, folder, seed) in tests.");
    }
    Path runDir = Path.of(dir);
    try {
      JsonNode record = Json.mapper().readTree(runDir.resolve(RunStore.RUN_JSON).toFile());
      Run run = new Run(runDir, record.path("experiment").asText(), (ObjectNode) record.get("config"),
          record.path("seed").asLong(), Boolean.getBoolean(RunService.RESUME_PROPERTY));
      run.interruption.installSignalHandlers();
      run.interruption.watch(Long.getLong(LaunchContext.LAUNCHER_PID_PROPERTY), run::flushOrEnd);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + runDir.resolve(RunStore.RUN_JSON), e);
    }
  }

  /**
   * A run outside the plugin, for tests and IDEs: resolves {@code experiments/EXPERIMENT.yaml} of
   * the research repository at {@code projectDir} (with {@code key=value} overrides) and writes
   * metrics and artifacts into {@code runDir}. No run record is made.
   */
  public static Run forExperiment(Path projectDir, String experiment, Path runDir, long seed, String... overrides) {
    ResolvedConfig resolved = new ExperimentResolver(projectDir).resolve(experiment, List.of(overrides));
    try {
      // The data set is fetched and checked as research:run would, into the shared cache.
      Map<String, Path> dirs = new DataService(projectDir, DataCache.located(null))
          .prepareForRun(resolved.values(), false, ConsoleReporter.INSTANCE).dirs();
      Run run = new Run(runDir, experiment, resolved.values(), seed, false);
      run.dataDirs.putAll(dirs);
      run.projectDir = projectDir;
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open run folder " + runDir, e);
    }
  }

  /**
   * The folder holding data set {@code name}'s files: from {@code -Dresearch.data.dir.NAME}, which
   * research:run sets after checking every file, or as prepared by {@link #forExperiment}.
   */
  public Path dataDir(String name) {
    Path prepared = dataDirs.get(name);
    return prepared != null ? prepared : DataSets.dir(name);
  }

  /**
   * The experiment's config bound to a record of one's own, for example
   * {@code record Hyper(Model model) { record Model(int hidden, int layers) {} }}: every key of the
   * experiment is read by a component or by the runtime (data, optimizer, training), and every
   * component has a value, else one line names the key and the fix. research:run checks the same
   * before the training JVM starts when the experiment names the record ({@code hyper:}).
   */
  public <T> T config(Class<T> type) {
    if (!type.isRecord()) {
      throw new ResearchException(type.getName() + " is not a record. Fix: declare it as "
          + "`record " + type.getSimpleName() + "(...)` with one component per config key.");
    }
    List<ConfigBinding.Mismatch> problems;
    try {
      problems = ConfigBinding.check(config.tree(), type);
    } catch (IllegalArgumentException e) {
      throw new ResearchException(type.getSimpleName() + ": " + e.getMessage() + ". Fix: a config record "
          + "holds numbers, text, booleans, lists and records of other types.", e);
    }
    if (!problems.isEmpty()) {
      throw new ResearchException(ConfigBinding.describe(problems, key -> "experiment `" + experiment + "`",
          experiment, type.getSimpleName()));
    }
    try {
      return ConfigBinding.bind(config.tree(), type);
    } catch (IllegalArgumentException e) {
      throw new ResearchException("experiment `" + experiment + "`: " + e.getMessage() + ". Fix it under "
          + "experiments/.", e);
    }
  }

  /**
   * The data set the experiment names ({@code data.name}), read and divided as its manifest
   * {@code data/NAME.yaml} declares (format, CSV options, files, test/validation carves or folds),
   * with the experiment's {@code data.validation}, {@code data.splitSeed} and {@code data.fold}
   * applied. Loaded once per run; the training split is batched by {@link #sampler}.
   */
  public DataSets.Loaded data() throws IOException {
    if (data == null) {
      String name = config.getString("data.name");
      DataSpec spec = DataSpec.read(projectDir, name).withOverrides(
          config.has("data.validation") ? config.getDouble("data.validation") : null,
          config.has("data.splitSeed") ? config.getLong("data.splitSeed") : null,
          config.has("data.fold") ? config.getInt("data.fold") : null);
      int batch = batchSize(config.getInt("training.batch"));
      try {
        data = DataSets.load(manager(), spec, dataDir(name), sampler(batch, true), batch, this);
      } catch (IOException e) {
        // A file that does not read as data/NAME.yaml declares it: one line, not a trace.
        throw new ResearchException("data/" + name + ".yaml: " + e.getMessage() + ". Fix: correct the file, or the "
            + "manifest's csv/splits keys (mvn research:data checks them; -Dresearch.data.add writes them anew).", e);
      }
    }
    return data;
  }

  /**
   * Data made by the training code (a generator): {@code features} values per record in {@code x},
   * one label per record in {@code y}; divided by the experiment's {@code data.validation} with
   * {@code data.splitSeed} (or the run's seed), normalised with the training split's statistics.
   */
  public DataSets.Loaded data(float[] x, float[] y, int features) {
    double fraction = config.has("data.validation") ? config.getDouble("data.validation") : 0;
    long splitSeed = config.has("data.splitSeed") ? config.getLong("data.splitSeed") : seed;
    int batch = batchSize(config.getInt("training.batch"));
    data = DataSets.arrays(manager(), x, y, features, SplitPlan.validationOnly(fraction, splitSeed),
        sampler(batch, true), batch, this);
    return data;
  }

  private NDManager manager() {
    if (dataManager == null) {
      dataManager = NDManager.newBaseManager();
    }
    return dataManager;
  }

  /** A training of {@code network} with {@code loss} on {@link #data()}, to adjust before {@link Training#fit}. */
  public Training training(Block network, Loss loss) {
    return new Training(this, network, loss);
  }

  /**
   * Trains {@code network} with {@code loss} on {@link #data()} as the config and the launch profile
   * say, evaluating {@code evaluators} (default: accuracy) each epoch and on the test split at the
   * end; returns those metrics. See {@link Training}.
   */
  public Map<String, Double> fit(Block network, Loss loss, Evaluator... evaluators)
      throws IOException, TranslateException {
    return training(network, loss).evaluators(evaluators).fit();
  }

  /** A run on a folder and config given directly (tests of the runtime itself). */
  static Run open(Path dir, String experiment, ObjectNode config, long seed, boolean resuming) throws IOException {
    return new Run(dir, experiment, config, seed, resuming);
  }

  /** This run reading manifests from {@code project} and data files from {@code dirs} (tests of the runtime). */
  Run withProject(Path project, Map<String, Path> dirs) {
    this.projectDir = project;
    this.dataDirs.putAll(dirs);
    return this;
  }

  /** The run folder. */
  public Path dir() {
    return dir;
  }

  /** The folder for checkpoints, predictions and plots. */
  public Path artifacts() {
    return dir.resolve(RunStore.ARTIFACTS);
  }

  /** The experiment's name. */
  public String experiment() {
    return experiment;
  }

  /** The resolved configuration. */
  public Config config() {
    return config;
  }

  /** This run's seed. */
  public long seed() {
    return seed;
  }

  /** Whether this process continues an earlier attempt from its last checkpoint. */
  public boolean resuming() {
    return resuming;
  }

  /** What the launch profile asks of this process: devices, batch, learning-rate rule, a range test. */
  public Launch launch() {
    return launch;
  }

  /** This run with other launch settings (tests of the runtime itself). */
  Run withLaunch(Launch newLaunch) {
    this.launch = newLaunch;
    return this;
  }

  /**
   * The devices to train on, for {@code DefaultTrainingConfig.optDevices}: the CPU, or the GPUs the
   * profile asks for (several GPUs: DJL splits each batch over them). Recorded in
   * {@code environment.json} with the GPUs' names. Fewer GPUs than asked for is an error, never a
   * silent fall back to the CPU.
   */
  public ai.djl.Device[] devices() {
    int available = launch.gpus() == 0 ? 0 : Engine.getInstance().getGpuCount();
    ai.djl.Device[] devices = launch.devices(available);
    List<String> names = launch.gpus() == 0 ? List.of() : EnvironmentInfo.gpuNames();
    List<Map<String, Object>> described = new ArrayList<>();
    for (ai.djl.Device d : devices) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("device", d.toString());
      if (d.isGpu() && d.getDeviceId() < names.size()) {
        m.put("name", names.get(d.getDeviceId()));
      }
      described.add(m);
    }
    describe("trainingDevices", described);
    return devices;
  }

  /**
   * The batch of one optimizer step on this profile, for an experiment tuned at
   * {@code experimentBatch}: the profile's global batch, or its per-device batch times the
   * devices, or else the experiment's own.
   */
  public int batchSize(int experimentBatch) {
    return launch.scaling(experimentBatch, 0).globalBatch();
  }

  /**
   * The learning-rate schedule for the optimizer, for an experiment tuned at {@code experimentLr}
   * with batch {@code experimentBatch}: scaled to this profile's batch by its rule, with gradual
   * warmup (recorded in {@code environment.json} as {@code scaling}). In a learning-rate range
   * test ({@code mvn research:lr-find}) it is the test's exponentially growing rate instead.
   *
   * @param stepsPerEpoch optimizer steps per epoch (for the warmup)
   */
  public Tracker learningRate(double experimentLr, int experimentBatch, long stepsPerEpoch) {
    if (launch.lrFind() != null) {
      Launch.LrFind f = launch.lrFind();
      lrFindTrackerIssued = true;
      describe("lrFind", Map.of("min", f.min(), "max", f.max(), "steps", f.steps()));
      return update -> (float) f.rate(step(update) - 1);
    }
    Launch.Scaling scaling = launch.scaling(experimentBatch, experimentLr);
    describe("scaling", scaling.describe());
    if (scaling.factor() != 1 || scaling.devices() > 1) {
      System.out.println("Profile scaling: " + scaling);
    }
    Tracker schedule = scaling.tracker(stepsPerEpoch);
    return update -> schedule.getNewValue(step(update));
  }

  /**
   * The optimizer step (from 1) that DJL's update count stands for: DJL counts from 1, once per
   * device copy of a parameter (so N times a step on N devices); a resumed process continues the
   * saved count, or counts from 1 again when the optimizer's state could not be restored (then
   * {@link #resumedAfter} adds the steps before). The schedule wants the run's own step.
   */
  int step(int update) {
    return (int) Math.min(Integer.MAX_VALUE, (Math.max(1, update) - 1) / launch.deviceCount() + 1 + resumedSteps);
  }

  /**
   * Called when a run resumes from a checkpoint: {@code steps} optimizer steps happened that DJL's
   * update count does not include (all steps before the checkpoint when the optimizer starts fresh).
   */
  void resumedAfter(long steps) {
    this.resumedSteps = steps;
  }

  /** The optimizer steps that DJL's update count does not include (see {@link #resumedAfter}). */
  long resumedSteps() {
    return resumedSteps;
  }

  /** Whether the optimizer's rate came from {@link #learningRate} in a range test. */
  boolean lrFindTrackerIssued() {
    return lrFindTrackerIssued;
  }

  /** The listener to add to the DJL training config; it writes the metrics and shows progress. */
  public ResearchListener listener() {
    return listener;
  }

  /**
   * The sampler to build the training data set with: its order depends only on the seed and the
   * epoch, so a resumed run sees the same order as an uninterrupted one.
   */
  public EpochSampler sampler(int batchSize, boolean shuffle) {
    if (sampler != null && (sampler.getBatchSize() != batchSize)) {
      throw new IllegalStateException("Run.sampler was already made with batch size " + sampler.getBatchSize());
    }
    if (sampler == null) {
      sampler = new EpochSampler(batchSize, shuffle, seed, false);
    }
    return sampler;
  }

  EpochSampler samplerOrNull() {
    return sampler;
  }

  /** Logs a value at the current step and epoch (for example a test metric after training). */
  public void log(String name, double value) {
    log(name, value, listener.step(), listener.epoch());
  }

  /**
   * Logs a value at a given step and epoch. Once the process is told to stop (SIGTERM, Ctrl-C),
   * nothing more is recorded; a full disk ends the process.
   */
  public void log(String name, double value, long step, int epoch) {
    if (interruption.requested()) {
      return;
    }
    try {
      metrics.log(name, value, step, epoch);
    } catch (UncheckedIOException e) {
      if (DiskFull.causedBy(e)) {
        interruption.diskFull(e);
      }
      throw e;
    }
  }

  /**
   * Ends the process here, with 143 or 130, when it was told to stop (SIGTERM, Ctrl-C): the
   * training loop calls it after every step and checkpoint. The metrics are flushed on the way out.
   */
  public void exitIfStopped() {
    interruption.exitIfRequested();
  }

  /** Whether the process was told to stop: a loop of its own ends at its next step. */
  public boolean stopRequested() {
    return interruption.requested();
  }

  /** Writes the metrics logged so far; ends the process on a full disk (the watcher's check). */
  private void flushOrEnd() {
    try {
      metrics.flush();
    } catch (IOException | UncheckedIOException e) {
      if (DiskFull.causedBy(e)) {
        interruption.diskFull(e);
      }
    }
  }

  /** Writes every metric line logged so far to the file (a checkpoint does this first). */
  void flushMetrics() throws IOException {
    try {
      metrics.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Adds a key to {@code environment.json} (for example the devices actually used). */
  public void describe(String key, Object value) {
    environment.put(key, value);
    writeEnvironment();
  }

  private void writeEnvironment() {
    try {
      Json.writeAtomically(dir.resolve(RunStore.ENVIRONMENT), environment);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(RunStore.ENVIRONMENT), e);
    }
  }

  private void closeQuietly() {
    try {
      metrics.close();
    } catch (IOException | RuntimeException e) {
      // Shutting down: nothing left to tell.
    }
  }

  /** Flushes the metrics and closes the log. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    metrics.close();
    if (dataManager != null) {
      dataManager.close();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down.
    }
  }
}
