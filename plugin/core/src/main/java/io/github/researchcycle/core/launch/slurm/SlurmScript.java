package io.github.researchcycle.core.launch.slurm;

import io.github.researchcycle.core.launch.LaunchContext;
import io.github.researchcycle.core.launch.LaunchProfile;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.core.store.RunStore;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The batch script of one Slurm job: one run, or a job array with one task per run. The runs of
 * one script share their command line except for the run folder, which each task picks from a
 * list by {@code SLURM_ARRAY_TASK_ID}.
 */
public final class SlurmScript {
  /** The script's name in each run folder. */
  public static final String FILE = "launch.sbatch";
  /** The file in the run folder where the script writes the training process's exit code. */
  public static final String EXIT_CODE = "exit-code";
  /** The file in the run folder where the script writes Slurm's id of its job (or array task). */
  public static final String JOB_ID = "slurm-job-id";
  /** The template. */
  public static final String TEMPLATE = "launch/slurm.sbatch.vm";

  /** Stands for the run folder in a command line shared by the runs of one array. */
  static final String RUN_DIR = "\u0000run-dir\u0000";
  /** The shell word that the run folder becomes in the script. */
  static final String RUN_DIR_WORD = "\"$run_dir\"";
  /** Slurm job names are kept short and plain. */
  static final int NAME_LENGTH = 64;

  private SlurmScript() {}

  /** The java executable of this JVM, which the job runs too (the cluster shares the filesystem). */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The training command of {@code run} in a batch job: this JVM's java and classpath, plain console. */
  static List<String> command(LaunchContext context, RunRecord run, String runDir) {
    String classpath = context.classpath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    return context.command(run, java(), runDir, classpath, false);
  }

  /** The exact command line of {@code run}, as recorded. */
  static List<String> command(LaunchContext context, RunRecord run) {
    return command(context, run, context.dir(run).toAbsolutePath().toString());
  }

  /** The command line of {@code run} with the run folder left open: runs with equal shapes share one array. */
  static List<String> shape(LaunchContext context, RunRecord run) {
    return command(context, run, RUN_DIR);
  }

  /** A Slurm job name from an experiment name: letters, digits, {@code _ . -}, at most 64 characters. */
  public static String jobName(String experiment) {
    String name = experiment == null ? "" : experiment.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (name.length() > NAME_LENGTH) {
      name = name.substring(0, NAME_LENGTH);
    }
    return name.chars().allMatch(c -> c == '_') ? "research" : name;
  }

  /** The {@code sbatch} options of a profile, for a job of {@code tasks} runs with {@code parallel} at once. */
  public static List<String> directives(LaunchProfile p, int tasks, int parallel) {
    List<String> d = new ArrayList<>();
    if (tasks > 1) {
      d.add("--array=0-" + (tasks - 1) + "%" + Math.max(1, parallel));
    }
    if (p.timeLimit() != null) {
      d.add("--time=" + p.timeLimit());
    }
    if (p.memory() != null) {
      d.add("--mem=" + p.memory());
    }
    if (p.cpus() != null) {
      d.add("--cpus-per-task=" + p.cpus());
    }
    LaunchProfile.Slurm s = p.slurm();
    if (p.gpus() > 0) {
      d.add("--gres=gpu:" + (s != null && s.gpuType() != null ? s.gpuType() + ":" : "") + p.gpus());
    }
    if (s != null) {
      if (s.partition() != null) {
        d.add("--partition=" + s.partition());
      }
      if (s.account() != null) {
        d.add("--account=" + s.account());
      }
      if (s.qos() != null) {
        d.add("--qos=" + s.qos());
      }
      if (s.constraint() != null) {
        d.add("--constraint=" + s.constraint());
      }
      if (s.options() != null) {
        d.addAll(s.options());
      }
    }
    return d;
  }

  /**
   * The words of a shared command line for the template: {@code text}, or for the word that holds
   * the run folder its {@code prefix} and {@code suffix} around it ({@code runDir} true).
   */
  static List<Map<String, Object>> words(List<String> shape) {
    List<Map<String, Object>> words = new ArrayList<>();
    for (String arg : shape) {
      Map<String, Object> w = new LinkedHashMap<>();
      int at = arg.indexOf(RUN_DIR);
      w.put("runDir", at >= 0);
      if (at >= 0) {
        w.put("prefix", arg.substring(0, at));
        w.put("suffix", arg.substring(at + RUN_DIR.length()));
      } else {
        w.put("text", arg);
      }
      words.add(w);
    }
    return words;
  }

  /** Renders the script of {@code runs}, which share {@code shape}. */
  static String render(LaunchContext context, List<RunRecord> runs, List<String> shape) {
    LaunchProfile p = context.profile();
    Map<String, String> env = new TreeMap<>(p.envOrEmpty());
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      RunRecord r = runs.get(i);
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("task", i);
      t.put("id", r.id());
      t.put("seed", r.seed());
      t.put("dir", context.dir(r).toAbsolutePath().toString());
      t.put("point", r.sweep() == null || r.sweep().point() == null ? "" : ", " + r.sweep().point().entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
      tasks.add(t);
    }
    boolean array = runs.size() > 1;
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("experiment", runs.get(0).experiment());
    v.put("profile", context.profileName());
    v.put("pluginVersion", String.valueOf(context.pluginVersion()));
    v.put("jobName", jobName(runs.get(0).experiment()));
    // One run: Slurm's own notes (a cancellation, the time limit) go to its output.log, relative to the
    // folder it is submitted from. An array's tasks each pick their log in the script.
    v.put("output", array ? "/dev/null" : RunStore.OUTPUT_LOG);
    v.put("directives", directives(p, runs.size(), context.parallel()));
    v.put("array", array);
    v.put("runs", tasks);
    v.put("workDir", context.projectDir().toAbsolutePath().toString());
    v.put("envNames", List.copyOf(env.keySet()));
    v.put("env", env);
    v.put("command", words(shape));
    v.put("runDirWord", RUN_DIR_WORD);
    return context.templates().render(TEMPLATE, v);
  }
}
