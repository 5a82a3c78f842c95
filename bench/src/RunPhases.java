import io.github.researchcycle.core.config.ExperimentResolver;
import io.github.researchcycle.core.config.ResolvedConfig;
import io.github.researchcycle.core.cycle.Cycle;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.core.launch.Classpaths;
import io.github.researchcycle.core.launch.LaunchProfile;
import io.github.researchcycle.core.launch.LaunchProfiles;
import io.github.researchcycle.core.render.Templates;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.model.MetricsReader;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.core.store.RunStore;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Diagnostic, not a benchmark with a goal: times, in a fresh JVM (as the Maven plugin's class
 * realm is fresh in each `mvn` invocation), the steps `research:run` takes in its Maven JVM before
 * the training JVM starts, in the order of RunService.run/execute: cold (first call: class loading,
 * JIT, one-time initialisation) and then warm (the same calls again); then the one call made after
 * the training JVM exits, on the newest run's metrics. Nothing is written to the project: no run
 * folder is created. Not timed: the data checks (no data files in the generated project).
 *
 * <p>Usage: java -cp CORE_CLASSPATH RunPhases PROJECT_DIR EXPERIMENT OVERRIDES TRAINING_CLASSPATH
 *
 * <p>Built against research-core's API as it stands; a change of that API breaks this file, not the
 * benchmarks.
 */
public final class RunPhases {
  private static final Map<String, double[]> TIMES = new LinkedHashMap<>();

  private static <T> T time(int pass, String step, Callable<T> call) throws Exception {
    long t0 = System.nanoTime();
    T result = call.call();
    double ms = (System.nanoTime() - t0) / 1e6;
    TIMES.computeIfAbsent(step, k -> new double[2])[pass] = ms;
    return result;
  }

  public static void main(String[] args) throws Exception {
    long jvmStart = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    double sinceJvmStart = System.currentTimeMillis() - jvmStart;
    Path root = Path.of(args[0]).toAbsolutePath();
    String experiment = args[1];
    List<String> overrides = args[2].isEmpty() ? List.of() : ExperimentResolver.splitOverrides(args[2]);
    List<Path> classpath = Arrays.stream(args[3].split(File.pathSeparator)).map(Path::of).toList();

    for (int pass = 0; pass < 2; pass++) {
      final int p = pass;
      RunService service = time(p, "RunService.system() (host name, SecureRandom)", RunService::system);
      Descriptor d = time(p, "DescriptorLoader.load (research.yaml)", () -> DescriptorLoader.load(root));
      RunStore store = service.store(root);
      time(p, "RunStore.reconcile (reads every run.json)", () -> store.reconcile(RunService.hostName()));
      ResolvedConfig config = time(p, "ExperimentResolver.resolve (experiments/*.yaml)",
          () -> new ExperimentResolver(root).resolve(experiment, overrides));
      LaunchProfile profile = time(p, "LaunchProfiles.load (launch/local.yaml)", () -> LaunchProfiles.load(root, "local"));
      GitProvenance git = time(p, "GitInspector.inspect (JGit open + status)", () -> GitInspector.inspect(root));
      List<RunRecord> runs = time(p, "RunStore.list (reads every run.json again)", store::list);
      time(p, "Cycle.checkRunGates (completeness, git history, sameCode)", () -> {
        Cycle.checkRunGates(root, d, experiment, "local", git, runs);
        return null;
      });
      time(p, "Classpaths.contains (main class on the classpath)",
          () -> Classpaths.contains(classpath, config.mainClass()));
      // After the record is written: launch.sh is rendered, then the training JVM is started.
      time(p, "Templates: new + render launch/local.sh.vm (Velocity)", () -> {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx" + profile.heapOrDefault(), "-cp", "x", "Main"));
        return new Templates(root.resolve("writeup/templates")).render("launch/local.sh.vm", Map.of(
            "runId", "20260101-000000-000-aaaaaaaa", "experiment", experiment, "seed", 1L, "profile", "local",
            "pluginVersion", "bench", "workDir", root.toString(), "envNames", List.of(), "env", Map.of(),
            "command", command));
      });
      // After the training JVM exits: the record is completed with the last value of each metric.
      Path metrics = root.resolve("runs").resolve(runs.get(runs.size() - 1).id()).resolve(RunStore.METRICS);
      time(p, "after the run: MetricsReader.finalValues (newest run's metrics)", () -> MetricsReader.finalValues(metrics));
      if (pass == 0) {
        System.out.printf(Locale.ROOT, "(newest run's metrics.jsonl: %.1f MB)%n", java.nio.file.Files.size(metrics) / 1e6);
        System.out.printf(Locale.ROOT, "(runs in runs/: %d; the JVM had been up %.0f ms when main started)%n",
            runs.size(), sinceJvmStart);
      }
    }
    System.out.printf(Locale.ROOT, "%-62s %10s %10s%n", "step (in RunService's order)", "cold ms", "warm ms");
    double cold = 0;
    double warm = 0;
    for (var e : TIMES.entrySet()) {
      System.out.printf(Locale.ROOT, "%-62s %10.1f %10.1f%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
      cold += e.getValue()[0];
      warm += e.getValue()[1];
    }
    System.out.printf(Locale.ROOT, "%-62s %10.1f %10.1f%n", "total", cold, warm);
  }
}
