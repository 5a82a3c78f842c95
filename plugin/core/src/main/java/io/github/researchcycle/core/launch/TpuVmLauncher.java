package io.github.researchcycle.core.launch;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.render.Shell;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tpu-vm} target: per run, a TPU VM made with {@code gcloud compute tpus tpu-vm}, the
 * project copied to it, the profile's {@code tpu.command} run there, the run folder copied back and
 * the VM deleted. The steps are one script, {@code tpu.sh}, rendered into the run folder from
 * {@code launch/tpu.sh.vm}; a researcher can run it by hand, step by step or whole.
 *
 * <p>DJL has no TPU engine: the command is the researcher's own JAX or PyTorch/XLA program, which
 * writes {@code metrics.jsonl} in the run folder's format.
 */
public final class TpuVmLauncher implements Launcher {
  /** The target's name in launch profiles. */
  public static final String TARGET = "tpu-vm";
  /** The script kept in each run folder. */
  public static final String SCRIPT = "tpu.sh";
  /** The log of the create, copy, fetch and delete steps, in the run folder. */
  public static final String STEPS_LOG = "tpu.log";
  /** The project's folder on the VM, in the login user's home folder. */
  public static final String REMOTE_DIR = "research-project";
  /** The experiment key read as the batch of one core when the profile gives no batch. */
  public static final String EXPERIMENT_BATCH_KEY = "training.batch";

  private static final Shell SH = new Shell();

  private final Programs programs;

  /** A launcher driving this machine's {@code gcloud}. */
  public TpuVmLauncher() {
    this(Programs.system());
  }

  /** A launcher driving the {@code gcloud} and {@code bash} of {@code programs}. */
  public TpuVmLauncher(Programs programs) {
    this.programs = programs;
  }

  @Override
  public void check(String profileName, LaunchProfile profile, boolean dryRun) {
    if (dryRun || programs.find("gcloud").isEmpty()) {
      return; // the scripts are written, and the user is told how to run them
    }
    Programs.Result r;
    try {
      r = programs.run(List.of("gcloud", "auth", "list", "--filter=status:ACTIVE", "--format=value(account)"), null,
          Duration.ofSeconds(60));
    } catch (IOException e) {
      r = new Programs.Result(-1, "", e.getMessage());
    }
    if (!r.ok() || r.stdout().isBlank()) {
      throw new ResearchException("launch/" + profileName + ".yaml: target tpu-vm creates the TPU VM with `gcloud`, "
          + "which has no active account here" + (r.ok() ? "" : " (" + r.lastWords() + ")") + ". Fix: gcloud auth "
          + "login (and set `tpu.project`, or gcloud config set project PROJECT_ID), or only write the scripts: "
          + "-Dresearch.dryRun=true.");
    }
  }

  @Override
  public List<RunRecord> launch(LaunchContext context, List<RunRecord> runs) throws IOException {
    RunStore store = context.store();
    Reporter reporter = context.reporter();
    List<RunRecord> written = new ArrayList<>();
    for (RunRecord run : runs) {
      Path dir = context.dir(run);
      Files.writeString(dir.resolve(SCRIPT), script(context, run), StandardCharsets.UTF_8);
      dir.resolve(SCRIPT).toFile().setExecutable(true);
      RunRecord.Launcher launcher = new RunRecord.Launcher(TARGET, context.profile().tpu().command(), null, null,
          null, SCRIPT, "tpu", null);
      RunRecord r = run.withLauncher(launcher);
      store.write(r);
      written.add(r);
    }
    boolean noGcloud = programs.find("gcloud").isEmpty();
    if (context.dryRun() || noGcloud) {
      String why = context.dryRun() ? "Dry run" : "gcloud is not installed here";
      // Written, not started: marked as a dry run's records, so nothing waits for them.
      for (int i = 0; i < written.size(); i++) {
        RunRecord r = written.get(i).withLauncher(written.get(i).launcher().withSchedulerState(RunRecord.DRY_RUN));
        store.write(r);
        written.set(i, r);
      }
      for (RunRecord r : written) {
        reporter.info(why + ": wrote runs/" + r.id() + "/" + SCRIPT + "; nothing was started and the record stays "
            + "queued. Run it with: bash runs/" + r.id() + "/" + SCRIPT + " (creates TPU VM "
            + Names.tpuVm(r.experiment(), r.id())
            + ", copies the project, runs " + String.join(" ", context.profile().tpu().command())
            + ", copies the run folder back, deletes the VM; needs gcloud with an account).");
      }
      return written;
    }
    if (!context.waitForEnd()) {
      reporter.warn("The tpu-vm target follows each run to its end (the VM is deleted afterwards): "
          + "-Dresearch.wait=false has no effect here.");
    }
    List<RunRecord> done = new ArrayList<>();
    for (RunRecord r : written) {
      done.add(execute(context, r));
    }
    return done;
  }

  /** Creates the VM, copies, runs, fetches, and always deletes it; returns the completed record. */
  private RunRecord execute(LaunchContext context, RunRecord queued) throws IOException {
    RunStore store = context.store();
    Reporter reporter = context.reporter();
    Path dir = context.dir(queued);
    String vm = Names.tpuVm(queued.experiment(), queued.id());
    String steps = "runs/" + queued.id() + "/" + STEPS_LOG;
    RunRecord running = queued.running(queued.launcher().withJob(vm, null).withSchedulerState("creating"));
    store.write(running);
    reporter.info("Run " + queued.id() + ": creating TPU VM " + vm + " (" + context.profile().tpu().type() + ")");
    Thread hook = new Thread(() -> {
      step(dir, "delete", null);
      try {
        RunRecord now = store.read(queued.id());
        if (now.status().active()) {
          store.write(store.completeAs(now, RunStatus.INTERRUPTED, "Maven was stopped while the TPU VM run was going "
              + "(the VM was deleted)", null));
        }
      } catch (IOException | RuntimeException e) {
        // The JVM is going down; nothing more can be recorded.
      }
    }, "research-tpu-delete");
    Runtime.getRuntime().addShutdownHook(hook);
    RunRecord done;
    try {
      if (step(dir, "create", null) != 0) {
        done = store.completeAs(running, RunStatus.FAILED, "TPU VM " + vm + " could not be created; see " + steps,
            null);
      } else if (step(dir, "copy", null) != 0) {
        done = store.completeAs(running, RunStatus.FAILED, "the project could not be copied to TPU VM " + vm
            + "; see " + steps, null);
      } else {
        running = running.withLauncher(running.launcher().withSchedulerState("running"));
        store.write(running);
        reporter.info("Run " + queued.id() + ": running " + String.join(" ", context.profile().tpu().command())
            + " on " + vm);
        int code = step(dir, "run", reporter.console());
        if (step(dir, "fetch", null) != 0) {
          reporter.warn("Run " + queued.id() + ": the run folder could not be copied back from " + vm + "; see "
              + steps + ".");
        }
        done = code == 255
            ? store.completeAs(running, RunStatus.FAILED, "the connection to TPU VM " + vm + " failed (ssh exit 255)"
                + "; see runs/" + queued.id() + "/output.log", code)
            : store.complete(running, code);
      }
    } finally {
      reporter.info("Run " + queued.id() + ": deleting TPU VM " + vm);
      if (step(dir, "delete", null) != 0) {
        reporter.warn("TPU VM " + vm + " may still exist, and cost money: delete it with bash runs/" + queued.id()
            + "/" + SCRIPT + " delete (see " + steps + ").");
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook deletes the VM.
      }
    }
    done = done.withLauncher(done.launcher().withSchedulerState("deleted"));
    store.write(done);
    reporter.info("Run " + done.id() + " " + done.status().json() + (done.reason() == null ? "" : " (" + done.reason()
        + ")"));
    return done;
  }

  /** Runs one step of {@code tpu.sh}; the run step's console goes to the user, the others' to {@code tpu.log}. */
  private int step(Path dir, String step, OutputStream console) {
    try {
      List<String> command = List.of("bash", dir.resolve(SCRIPT).toAbsolutePath().toString(), step);
      if (console != null) {
        return programs.stream(command, dir, console, null);
      }
      Files.writeString(dir.resolve(STEPS_LOG), "$ bash tpu.sh " + step + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return programs.stream(command, dir, OutputStream.nullOutputStream(), dir.resolve(STEPS_LOG));
    } catch (IOException e) {
      return 127;
    }
  }

  /** The values of {@code launch/tpu.sh.vm} for {@code run}. */
  static Map<String, Object> values(LaunchContext context, RunRecord run) {
    LaunchProfile profile = context.profile();
    LaunchProfile.Tpu tpu = profile.tpu();
    int cores = LaunchProfiles.tpuCores(tpu.type());
    Map<String, String> env = new LinkedHashMap<>();
    String runDir = "\"$PWD\"/" + SH.quote("runs/" + run.id());
    env.put("RESEARCH_RUN_DIR", runDir);
    env.put("RESEARCH_RUN_ID", SH.quote(run.id()));
    env.put("RESEARCH_CONFIG", runDir + "/run.json");
    env.put("RESEARCH_SEED", SH.quote(run.seed()));
    env.put("RESEARCH_EXPERIMENT", SH.quote(run.experiment()));
    env.put("RESEARCH_TPU_CORES", SH.quote(cores));
    Batch batch = batch(profile, run, cores);
    if (batch.global() != null) {
      env.put("RESEARCH_GLOBAL_BATCH", SH.quote(batch.global()));
    }
    if (batch.perCore() != null) {
      env.put("RESEARCH_BATCH_PER_CORE", SH.quote(batch.perCore()));
    }
    new TreeMap<>(profile.envOrEmpty()).forEach((k, v) -> env.put(k, SH.quote(v)));
    StringBuilder remoteRun = new StringBuilder("cd " + REMOTE_DIR + " && export");
    env.forEach((k, v) -> remoteRun.append(' ').append(k).append('=').append(v));
    remoteRun.append(" && exec");
    for (String word : tpu.command()) {
      remoteRun.append(' ').append(SH.quote(word));
    }
    String runFolder = REMOTE_DIR + "/runs/" + run.id();
    String remoteUnpack = "rm -rf " + REMOTE_DIR + " && mkdir -p " + SH.quote(runFolder) + " && tar -xzf project.tar.gz -C "
        + REMOTE_DIR + " && rm -f project.tar.gz && mv run.json " + SH.quote(runFolder + "/run.json");

    Map<String, Object> v = new LinkedHashMap<>();
    v.put("runId", run.id());
    v.put("experiment", run.experiment());
    v.put("seed", run.seed());
    v.put("profile", context.profileName());
    v.put("pluginVersion", String.valueOf(context.pluginVersion()));
    v.put("vm", Names.tpuVm(run.experiment(), run.id()));
    v.put("zone", tpu.zone());
    v.put("type", tpu.type());
    v.put("runtimeVersion", tpu.runtimeVersion());
    v.put("project", tpu.project() == null ? "" : tpu.project());
    v.put("spot", Boolean.TRUE.equals(tpu.preemptible()) ? "yes" : "");
    // Slices of more than 8 cores span several hosts: the copy and the command go to every worker.
    v.put("workers", LaunchProfiles.tpuSize(tpu.type()) > 8 ? "all" : "0");
    v.put("projectDir", context.projectDir().toAbsolutePath().toString());
    v.put("runDir", context.dir(run).toAbsolutePath().toString());
    v.put("remoteDir", REMOTE_DIR);
    v.put("remoteUnpack", remoteUnpack);
    v.put("remoteRun", remoteRun.toString());
    return v;
  }

  /** {@code tpu.sh} for {@code run}. */
  static String script(LaunchContext context, RunRecord run) {
    return context.templates().render("launch/tpu.sh.vm", values(context, run));
  }

  /**
   * The batch on the TPU: the profile's {@code batch.global}; else its {@code batch.perDevice}
   * times the cores; else the experiment's {@code training.batch} read as the batch of one core,
   * times the cores. Null where nothing says.
   *
   * @param global the batch of one step over all cores
   * @param perCore the batch of one core, when the global batch divides evenly
   */
  record Batch(Integer global, Integer perCore) {}

  static Batch batch(LaunchProfile profile, RunRecord run, int cores) {
    LaunchProfile.Batch b = profile.batch();
    if (b != null && b.global() != null) {
      return new Batch(b.global(), b.global() % cores == 0 ? b.global() / cores : null);
    }
    Integer perCore = b != null && b.perDevice() != null ? b.perDevice() : experimentBatch(run);
    return perCore == null ? new Batch(null, null) : new Batch(perCore * cores, perCore);
  }

  private static Integer experimentBatch(RunRecord run) {
    if (run.config() == null) {
      return null;
    }
    JsonNode n = run.config();
    for (String part : EXPERIMENT_BATCH_KEY.split("\\.")) {
      n = n.path(part);
    }
    return n.isInt() && n.asInt() > 0 ? n.asInt() : null;
  }
}
