package io.github.researchcycle.core.launch.slurm;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.launch.LaunchContext;
import io.github.researchcycle.core.launch.LaunchProfile;
import io.github.researchcycle.core.launch.LaunchProfiles;
import io.github.researchcycle.core.launch.Launcher;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code slurm} target: renders a batch script from {@code launch/slurm.sbatch.vm}, submits it
 * with {@code sbatch} (several runs as one job array, a task per run), records the job id and task
 * in each run record, and follows the job until it ends, streaming its log; or returns once
 * submitted, and {@link #reconcile} brings the records up to date later.
 */
public final class SlurmLauncher implements Launcher {
  /** The target's name in profiles. */
  public static final String TARGET = "slurm";
  /** The scheduler state recorded before Slurm has said anything. */
  static final String SUBMITTED = "SUBMITTED";

  private final SlurmClient slurm;
  private final Duration poll;
  private final Duration patience;
  private final Clock clock;

  /** The launcher on this machine's Slurm commands, asking every second. */
  public SlurmLauncher() {
    this(SlurmCommands.system(), Duration.ofSeconds(1), Duration.ofMinutes(10), Clock.systemUTC());
  }

  /**
   * A launcher on {@code slurm}, asking every {@code poll} while it follows jobs, and giving up
   * following when Slurm has not answered for {@code patience}; {@code clock} tells the time when
   * it reconciles.
   */
  public SlurmLauncher(SlurmClient slurm, Duration poll, Duration patience, Clock clock) {
    this.slurm = slurm;
    this.poll = poll;
    this.patience = patience;
    this.clock = clock;
  }

  @Override
  public void check(String profileName, LaunchProfile profile, boolean dryRun) {
    if (dryRun) {
      return;
    }
    Optional<String> why = slurm.unavailable();
    if (why.isPresent()) {
      throw new ResearchException("launch/" + profileName + ".yaml has `target: slurm`, but " + why.get()
          + ". Nothing was created. Fix: run this on a machine that submits to the cluster (a login node with "
          + "sbatch and scontrol), or add -Dresearch.dryRun=true to write the batch script only.");
    }
  }

  @Override
  public List<RunRecord> launch(LaunchContext context, List<RunRecord> runs) throws IOException {
    RunStore store = context.store();
    Reporter reporter = context.reporter();
    // Runs whose command lines differ only in their folder go out as one job (an array when several).
    Map<List<String>, List<RunRecord>> groups = new LinkedHashMap<>();
    for (RunRecord r : runs) {
      groups.computeIfAbsent(SlurmScript.shape(context, r), k -> new ArrayList<>()).add(r);
    }
    Map<String, RunRecord> current = new LinkedHashMap<>();
    runs.forEach(r -> current.put(r.id(), r));
    List<List<String>> jobs = new ArrayList<>();
    for (var group : groups.entrySet()) {
      List<RunRecord> members = group.getValue();
      String script = SlurmScript.render(context, members, group.getKey());
      for (RunRecord r : members) {
        Path dir = context.dir(r);
        Files.writeString(dir.resolve(SlurmScript.FILE), script, StandardCharsets.UTF_8);
        // A resumed run's earlier job must not speak for the new one.
        Files.deleteIfExists(dir.resolve(SlurmScript.EXIT_CODE));
        Files.deleteIfExists(dir.resolve(SlurmScript.JOB_ID));
        RunRecord.Launcher launcher = new RunRecord.Launcher(TARGET, SlurmScript.command(context, r),
            context.profile().heapOrDefault(), null, null, SlurmScript.FILE, context.profile().devices(), null);
        RunRecord written = r.withLauncher(launcher);
        store.write(written);
        current.put(r.id(), written);
      }
      if (context.dryRun()) {
        reporter.info("Dry run: wrote " + members.stream().map(r -> "runs/" + r.id() + "/" + SlurmScript.FILE)
            .collect(Collectors.joining(", ")) + "; nothing submitted.");
        continue;
      }
      Path first = context.dir(members.get(0));
      String jobId;
      try {
        jobId = slurm.submit(first.resolve(SlurmScript.FILE), first);
      } catch (IOException e) {
        List<String> failed = new ArrayList<>();
        for (RunRecord r : current.values()) {
          if (r.status().active() && r.launcher() != null && r.launcher().jobId() == null) {
            store.write(r.ended(RunStatus.FAILED, "not submitted: " + e.getMessage(), context.clock().instant(), null));
            failed.add(r.id());
          }
        }
        throw new ResearchException("Slurm did not take the job of run" + (failed.size() == 1 ? " " : "s ")
            + String.join(", ", failed) + ": " + e.getMessage() + ". The runs are recorded as failed. Fix: check "
            + "the resources and the `slurm` settings of launch/" + context.profileName() + ".yaml against the "
            + "cluster (sinfo shows its partitions); the script is kept as runs/" + members.get(0).id() + "/"
            + SlurmScript.FILE + ".", e);
      }
      boolean array = members.size() > 1;
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        RunRecord r = current.get(members.get(i).id());
        RunRecord submitted = r.withLauncher(r.launcher().withJob(jobId, array ? i : null)
            .withSchedulerState(SUBMITTED));
        store.write(submitted);
        current.put(r.id(), submitted);
        ids.add(r.id());
      }
      jobs.add(ids);
      reporter.info("Submitted Slurm job " + jobId + (array ? ": an array of " + members.size() + " tasks, "
          + Math.min(Math.max(1, context.parallel()), members.size()) + " at a time" : "") + " (runs/"
          + members.get(0).id() + "/" + SlurmScript.FILE + ")");
    }
    if (context.dryRun()) {
      return List.copyOf(current.values());
    }
    if (!context.waitForEnd()) {
      reporter.info("Not following the job" + (jobs.size() == 1 ? "" : "s") + " (-Dresearch.wait=false): "
          + "mvn research:status records how the runs end.");
      return List.copyOf(current.values());
    }
    return follow(context, current, jobs);
  }

  /** Follows the submitted runs until each has ended, streaming one log; returns the records in order. */
  private List<RunRecord> follow(LaunchContext context, Map<String, RunRecord> current, List<List<String>> jobs)
      throws IOException {
    Reporter reporter = context.reporter();
    Map<String, LogTail> tails = new LinkedHashMap<>();
    for (List<String> ids : jobs) {
      // One log on the console: the run's, or the first task's with a prefix; the other tasks report
      // their state changes.
      RunRecord first = current.get(ids.get(0));
      tails.put(first.id(), new LogTail(context.dir(first).resolve(RunStore.OUTPUT_LOG),
          ids.size() > 1 ? "[task 0] " : ""));
    }
    reporter.info("Following until the job" + (jobs.size() == 1 ? " ends" : "s end")
        + "; Ctrl-C stops following, not the job: mvn research:status then records how the runs end.");
    Instant lastAnswer = context.clock().instant();
    boolean warned = false;
    Profile profile = new Profile(context.profileName(), context.profile());
    while (current.values().stream().anyMatch(r -> r.status().active() && r.launcher().jobId() != null)) {
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reporter.warn("Stopped following; the jobs go on. mvn research:status records how the runs end.");
        break;
      }
      for (List<String> ids : jobs) {
        List<RunRecord> active = ids.stream().map(current::get).filter(r -> r.status().active()).toList();
        if (active.isEmpty()) {
          continue;
        }
        String jobId = active.get(0).launcher().jobId();
        SlurmClient.Job job;
        try {
          job = slurm.job(jobId);
          lastAnswer = context.clock().instant();
          warned = false;
        } catch (IOException e) {
          if (!warned) {
            reporter.warn("Slurm does not answer about job " + jobId + " (" + e.getMessage() + "); asking again.");
            warned = true;
          }
          continue;
        }
        for (RunRecord r : active) {
          RunRecord updated = update(context.store(), r, job, profile, context.clock().instant());
          if (updated != r) {
            current.put(r.id(), updated);
            LogTail tail = tails.get(r.id());
            if (tail != null && !updated.status().active()) {
              tail.copy(reporter.console(), true); // the whole log before the line that says how it ended
            }
            announce(reporter, r, updated, ids.size() > 1);
          }
        }
      }
      for (LogTail t : tails.values()) {
        t.copy(reporter.console(), false);
      }
      if (Duration.between(lastAnswer, context.clock().instant()).compareTo(patience) > 0) {
        reporter.warn("Slurm has not answered for " + patience.toMinutes() + " minutes; stopped following. "
            + "mvn research:status records how the runs end.");
        break;
      }
    }
    for (LogTail t : tails.values()) {
      t.copy(reporter.console(), true);
    }
    return List.copyOf(current.values());
  }

  private static void announce(Reporter reporter, RunRecord before, RunRecord after, boolean array) {
    String who = array ? "Run " + after.id() + " (task " + after.launcher().arrayTask() + ", seed " + after.seed()
        + ")" : "Run " + after.id() + " (job " + after.launcher().jobId() + ")";
    String state = after.launcher().schedulerState();
    if (!after.status().active()) {
      reporter.info(who + ": " + after.status().json() + (after.reason() == null ? "" : ", " + after.reason()));
    } else if (before.status() != after.status() || array
        || !Objects.equals(before.launcher().schedulerState(), state)) {
      reporter.info(who + ": " + (after.status() == RunStatus.RUNNING ? "running" : state.toLowerCase(Locale.ROOT))
          + " on Slurm");
    }
  }

  @Override
  public List<RunRecord> reconcile(RunStore store, List<RunRecord> active) throws IOException {
    Map<String, List<RunRecord>> byJob = active.stream().filter(r -> r.launcher() != null
        && r.launcher().jobId() != null).collect(Collectors.groupingBy(r -> r.launcher().jobId(), LinkedHashMap::new,
        Collectors.toList()));
    Path root = store.runsDir().toAbsolutePath().getParent();
    Map<String, Profile> profiles = new LinkedHashMap<>();
    List<RunRecord> changed = new ArrayList<>();
    for (var e : byJob.entrySet()) {
      SlurmClient.Job job;
      try {
        job = slurm.job(e.getKey());
      } catch (IOException ex) {
        continue; // Slurm cannot be asked from here now: the records stay as they are.
      }
      for (RunRecord r : e.getValue()) {
        Profile p = profiles.computeIfAbsent(r.profile(), name -> Profile.load(root, name));
        RunRecord updated = update(store, r, job, p, clock.instant());
        if (updated != r) {
          changed.add(updated);
        }
      }
    }
    return changed;
  }

  /**
   * The record of {@code r} as Slurm now tells it (written when it changed), or {@code r} itself.
   * A task the controller has forgotten is looked up in the accounting records; a job nobody
   * knows any more is ended from the exit code its script left, or recorded as crashed.
   */
  RunRecord update(RunStore store, RunRecord r, SlurmClient.Job job, Profile profile, Instant now)
      throws IOException {
    RunRecord.Launcher launcher = r.launcher();
    Path dir = store.dir(r.id());
    Optional<SlurmClient.State> state = job.known() ? job.task(launcher.arrayTask()) : Optional.empty();
    if (state.isEmpty()) {
      String raw = readTrimmed(dir.resolve(SlurmScript.JOB_ID));
      try {
        state = slurm.accounting(launcher.jobId(), launcher.arrayTask(), raw);
      } catch (IOException e) {
        state = Optional.empty();
      }
    }
    if (state.isEmpty()) {
      String code = readTrimmed(dir.resolve(SlurmScript.EXIT_CODE));
      RunRecord gone = r.withLauncher(launcher.withSchedulerState("UNKNOWN"));
      RunRecord done;
      if (code != null && code.matches("-?[0-9]+")) {
        done = store.complete(gone, Integer.parseInt(code));
      } else {
        done = store.completeAs(gone, RunStatus.CRASHED, "Slurm no longer knows job " + jobName(launcher)
            + " (nor do its accounting records), and the job left no exit code in runs/" + r.id() + "/"
            + SlurmScript.EXIT_CODE, null);
      }
      return write(store, endedAt(done, dir, now));
    }
    SlurmClient.State s = state.get();
    if (s.ended()) {
      SlurmStates.Outcome o = SlurmStates.outcome(s, r.id(), profile.file(), profile.timeLimit(), profile.memory());
      Integer code = o.exitCode();
      String left = readTrimmed(dir.resolve(SlurmScript.EXIT_CODE));
      if (code == null && left != null && left.matches("-?[0-9]+")) {
        code = Integer.parseInt(left);
      }
      RunRecord done = store.completeAs(r.withLauncher(launcher.withSchedulerState(s.state())), o.status(),
          o.reason(), code);
      return write(store, endedAt(done, dir, now));
    }
    if (s.running() && r.status() == RunStatus.QUEUED) {
      return write(store, r.running(launcher.withSchedulerState(s.state())));
    }
    if (!s.state().equals(launcher.schedulerState())) {
      return write(store, r.withLauncher(launcher.withSchedulerState(s.state())));
    }
    return r;
  }

  private static String jobName(RunRecord.Launcher l) {
    return l.arrayTask() == null ? l.jobId() : l.jobId() + "_" + l.arrayTask();
  }

  private static RunRecord write(RunStore store, RunRecord r) throws IOException {
    store.write(r);
    return r;
  }

  /**
   * The ended record with its end as the run folder tells it: when the script wrote the exit code,
   * else when the log or the metrics last changed (a record reconciled hours later must not end
   * then), never after {@code now}.
   */
  private static RunRecord endedAt(RunRecord done, Path dir, Instant now) throws IOException {
    Instant end = null;
    Path exit = dir.resolve(SlurmScript.EXIT_CODE);
    if (Files.isRegularFile(exit)) {
      end = Files.getLastModifiedTime(exit).toInstant();
    } else {
      for (String name : List.of(RunStore.OUTPUT_LOG, RunStore.METRICS)) {
        Path f = dir.resolve(name);
        if (Files.isRegularFile(f)) {
          Instant t = Files.getLastModifiedTime(f).toInstant();
          end = end == null || t.isAfter(end) ? t : end;
        }
      }
    }
    if (end == null || end.isAfter(now) || done.started() != null && end.isBefore(done.started())) {
      return done;
    }
    return done.ended(done.status(), done.reason(), end, done.exitCode());
  }

  private static String readTrimmed(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** What the outcome's words need of a profile: its file, time limit and memory. */
  record Profile(String file, String timeLimit, String memory) {
    Profile(String name, LaunchProfile p) {
      this("launch/" + name + ".yaml", p == null ? null : p.timeLimit(), p == null ? null : p.memory());
    }

    /** The profile of a research repository, or only its file name when it no longer loads. */
    static Profile load(Path root, String name) {
      try {
        return new Profile(name, LaunchProfiles.load(root, name));
      } catch (RuntimeException e) {
        return new Profile(name, null);
      }
    }
  }

  /**
   * Copies the lines a log gains to the console, each with a prefix; text ended by a carriage
   * return (a progress bar drawn in place) is left out, as {@code OutputTee} leaves it out of logs.
   */
  static final class LogTail {
    private final Path file;
    private final byte[] prefix;
    private long position;
    private boolean carriageReturn;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LogTail(Path file, String prefix) {
      this.file = file;
      this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    /** Copies the complete lines written since the last call (and, at the end, the rest). */
    void copy(OutputStream console, boolean end) throws IOException {
      if (Files.isRegularFile(file)) {
        try (var channel = Files.newByteChannel(file)) {
          if (channel.size() < position) {
            position = 0; // the log was truncated: start again
          }
          channel.position(position);
          ByteBuffer buf = ByteBuffer.allocate(8192);
          int n;
          while ((n = channel.read(buf)) > 0) {
            position += n;
            for (int i = 0; i < n; i++) {
              byte b = buf.get(i);
              if (carriageReturn && b != '\n') {
                partial.reset(); // a progress bar redrawn in place: only its last state is a line
              }
              carriageReturn = b == '\r';
              if (carriageReturn) {
                continue;
              }
              partial.write(b);
              if (b == '\n') {
                console.write(prefix);
                partial.writeTo(console);
                partial.reset();
              }
            }
            buf.clear();
          }
        }
      }
      if (end && partial.size() > 0) {
        console.write(prefix);
        partial.writeTo(console);
        console.write('\n');
        partial.reset();
      }
      console.flush();
    }
  }
}
