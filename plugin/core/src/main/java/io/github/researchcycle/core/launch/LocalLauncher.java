package io.github.researchcycle.core.launch;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.core.store.RunStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code local} target: one training JVM per run on this machine. Several at a time are
 * started by {@code research:run} itself, each record created just before its process starts.
 */
public final class LocalLauncher implements Launcher {
  /** The launch script kept in each run folder. */
  public static final String SCRIPT = "launch.sh";

  @Override
  public List<RunRecord> launch(LaunchContext context, List<RunRecord> runs) throws IOException {
    List<RunRecord> done = new ArrayList<>();
    for (RunRecord run : runs) {
      done.add(execute(context, run, context.reporter().console()));
    }
    return done;
  }

  /** Writes {@code launch.sh} into the run folder; returns the launch details it records. */
  public static RunRecord.Launcher writeScript(LaunchContext context, RunRecord record) throws IOException {
    List<String> command = context.command(record);
    Map<String, String> env = new TreeMap<>(context.profile().envOrEmpty());
    Files.writeString(context.dir(record).resolve(SCRIPT), context.templates().render("launch/local.sh.vm", Map.of(
        "runId", record.id(), "experiment", record.experiment(), "seed", record.seed(), "profile", record.profile(),
        "pluginVersion", String.valueOf(context.pluginVersion()),
        "workDir", context.projectDir().toAbsolutePath().toString(), "envNames", List.copyOf(env.keySet()),
        "env", env, "command", command)));
    return new RunRecord.Launcher("local", command, context.profile().heapOrDefault(), null, null, SCRIPT,
        context.profile().devices(), null);
  }

  private static RunRecord execute(LaunchContext context, RunRecord record, OutputStream console) throws IOException {
    RunStore store = context.store();
    Path dir = context.dir(record);
    RunRecord.Launcher launcher = writeScript(context, record);
    List<String> command = launcher.command();
    Map<String, String> env = new TreeMap<>(context.profile().envOrEmpty());
    RunRecord[] running = {record};
    Thread[] hook = {null};
    int code;
    try {
      code = TrainingProcess.run(command, context.projectDir(), env, console, dir.resolve(RunStore.OUTPUT_LOG),
          process -> {
            running[0] = record.launched(process.pid(), launcher);
            store.write(running[0]);
            RunRecord launched = running[0];
            hook[0] = new Thread(() -> interruptedByShutdown(store, launched, process), "research-run-shutdown");
            Runtime.getRuntime().addShutdownHook(hook[0]);
          });
    } catch (IOException e) {
      RunRecord failed = record.withLauncher(launcher).ended(RunStatus.FAILED,
          "the training JVM could not be started: " + e.getMessage(), context.clock().instant(), null);
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
    RunRecord done = store.complete(running[0], code);
    store.write(done);
    return done;
  }

  private static void interruptedByShutdown(RunStore store, RunRecord running, Process process) {
    process.destroy();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      RunRecord done = store.complete(running, process.isAlive() ? 143 : process.exitValue());
      store.write(done.ended(RunStatus.INTERRUPTED, "Maven was stopped while the run was going", done.ended(),
          done.exitCode()));
    } catch (IOException | InterruptedException | IllegalThreadStateException e) {
      // Nothing more can be done while the JVM exits; the next run or status call reconciles it.
    }
  }
}
