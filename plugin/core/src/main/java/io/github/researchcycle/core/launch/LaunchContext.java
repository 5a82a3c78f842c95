package io.github.researchcycle.core.launch;

import io.github.researchcycle.core.render.Templates;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.core.store.RunStore;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything a {@link Launcher} needs to start runs: the repository, its store, the profile, the
 * training classpath and the system properties of the training JVM.
 *
 * @param projectDir the research repository (or folder)
 * @param store its run store
 * @param profileName the profile's name
 * @param profile the profile
 * @param classpath the training process's classpath on this machine
 * @param properties further system properties of the training JVM (data folders, lr-find settings)
 * @param resuming whether the runs continue from their last checkpoint
 * @param reporter where progress goes
 * @param pluginVersion the plugin's version, recorded in launch scripts
 * @param waitForEnd whether to follow the runs to their end (false: return once submitted)
 * @param dryRun whether to write the launch files only, and submit nothing
 * @param parallel how many runs go at once
 * @param clock the clock
 */
public record LaunchContext(
    Path projectDir,
    RunStore store,
    String profileName,
    LaunchProfile profile,
    List<Path> classpath,
    Map<String, String> properties,
    boolean resuming,
    Reporter reporter,
    String pluginVersion,
    boolean waitForEnd,
    boolean dryRun,
    int parallel,
    Clock clock) {

  /** The system property that tells the training process its run folder. */
  public static final String RUN_DIR_PROPERTY = "research.run.dir";
  /** The system property that tells the training process to continue from its last checkpoint. */
  public static final String RESUME_PROPERTY = "research.resume";
  /**
   * The system property with the pid of the process that launched the training JVM locally: the
   * training process ends when that process is gone. Not part of the recorded command.
   */
  public static final String LAUNCHER_PID_PROPERTY = "research.launcher.pid";
  /** The system property that tells the training process whether it may draw progress bars. */
  public static final String CONSOLE_PROPERTY = "research.console";
  /** The system property with the profile's devices ({@code cpu}, {@code gpu:N}). */
  public static final String DEVICES_PROPERTY = "research.devices";
  /** The system property with the profile's per-device batch. */
  public static final String BATCH_PER_DEVICE_PROPERTY = "research.batch.perDevice";
  /** The system property with the profile's global batch. */
  public static final String BATCH_GLOBAL_PROPERTY = "research.batch.global";
  /** The system property with the profile's learning-rate scaling rule. */
  public static final String LR_SCALING_PROPERTY = "research.lr.scaling";
  /** The system property that turns a run into a learning-rate range test ({@code min,max,steps}). */
  public static final String LR_FIND_PROPERTY = "research.lrFind";
  /** The system property with the profile's warmup epochs. */
  public static final String LR_WARMUP_PROPERTY = "research.lr.warmupEpochs";

  /** The renderer of launch files, with the repository's overrides under {@code writeup/templates}. */
  public Templates templates() {
    return new Templates(projectDir.resolve("writeup/templates"));
  }

  /** The folder of a run. */
  public Path dir(RunRecord run) {
    return store.dir(run.id());
  }

  /** The training JVM's command line for {@code run} on this machine. */
  public List<String> command(RunRecord run) {
    return command(run, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        dir(run).toAbsolutePath().toString(),
        classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)), reporter.terminal());
  }

  /**
   * The training JVM's command line for {@code run} with another java binary, run folder and
   * classpath (inside a container, on another machine).
   */
  public List<String> command(RunRecord run, String java, String runDir, String joinedClasspath, boolean terminal) {
    return javaCommand(profile, java, runDir, joinedClasspath, run.mainClass(), resuming, terminal, properties);
  }

  /**
   * A training JVM's command line: the profile's heap and JVM options, the run folder, the console
   * kind, the profile's devices and batch, further properties, the classpath and the main class.
   */
  public static List<String> javaCommand(LaunchProfile profile, String java, String runDir, String joinedClasspath,
      String mainClass, boolean resuming, boolean terminal, Map<String, String> properties) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + profile.heapOrDefault());
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-Dfile.encoding=UTF-8");
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(profile.jvmArgsOrEmpty());
    cmd.add("-D" + RUN_DIR_PROPERTY + "=" + runDir);
    cmd.add("-D" + CONSOLE_PROPERTY + "=" + (terminal ? "ansi" : "plain"));
    if (resuming) {
      cmd.add("-D" + RESUME_PROPERTY + "=true");
    }
    Map<String, String> props = new TreeMap<>(profileProperties(profile));
    props.putAll(properties);
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(joinedClasspath);
    cmd.add(mainClass);
    return cmd;
  }

  /** The system properties that carry a profile's devices, batch and learning-rate rule to the runtime. */
  public static Map<String, String> profileProperties(LaunchProfile profile) {
    Map<String, String> m = new TreeMap<>();
    if (profile.devices() != null && !profile.devices().equals("cpu")) {
      m.put(DEVICES_PROPERTY, profile.devices());
    }
    if (profile.batch() != null && profile.batch().perDevice() != null) {
      m.put(BATCH_PER_DEVICE_PROPERTY, String.valueOf(profile.batch().perDevice()));
    }
    if (profile.batch() != null && profile.batch().global() != null) {
      m.put(BATCH_GLOBAL_PROPERTY, String.valueOf(profile.batch().global()));
    }
    if (profile.learningRate() != null && profile.learningRate().scaling() != null) {
      m.put(LR_SCALING_PROPERTY, profile.learningRate().scaling());
    }
    if (profile.learningRate() != null && profile.learningRate().warmupEpochs() != null) {
      m.put(LR_WARMUP_PROPERTY, String.valueOf(profile.learningRate().warmupEpochs()));
    }
    return m;
  }
}
