package io.github.researchcycle.core.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.DiskFull;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricsReader;
import io.github.researchcycle.model.RunFiles;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The run store: one folder per run under {@code runs/}, append-only. Creates run folders
 * atomically, writes {@code run.json} atomically, and marks runs whose process is gone as crashed.
 */
public final class RunStore {
  /** The record's file name inside a run folder. */
  public static final String RUN_JSON = RunFiles.RUN_JSON;
  /** The metrics file name inside a run folder. */
  public static final String METRICS = RunFiles.METRICS;
  /** The environment the training process writes about itself. */
  public static final String ENVIRONMENT = RunFiles.ENVIRONMENT;
  /** The console of the run. */
  public static final String OUTPUT_LOG = RunFiles.OUTPUT_LOG;
  /** Checkpoints, predictions, plots. */
  public static final String ARTIFACTS = RunFiles.ARTIFACTS;

  /** A record that never got a process id is taken as abandoned after this long. */
  static final Duration NEVER_STARTED = Duration.ofMinutes(10);

  private final Path runsDir;
  private final Clock clock;
  private final RunIds ids;
  private final ProcessProbe probe;
  private final Listener listener;
  private final RecordWriter writer;

  /** Writes a record's file: atomically, by default; a test passes one that fails as a full disk does. */
  @FunctionalInterface
  public interface RecordWriter {
    /** Writes {@code record} to {@code file} so that no reader ever sees a partial file. */
    void write(Path file, RunRecord record) throws IOException;
  }

  /** Told of every record written, with the record it replaced: how the ledger follows the store. */
  @FunctionalInterface
  public interface Listener {
    /**
     * A record was written.
     *
     * @param before the record it replaced, or null for a new run
     * @param after the record as written
     * @param dir the run's folder
     */
    void written(RunRecord before, RunRecord after, Path dir) throws IOException;
  }

  /** A store in {@code runsDir}. */
  public RunStore(Path runsDir, Clock clock, RunIds ids, ProcessProbe probe) {
    this(runsDir, clock, ids, probe, null, Json::writeAtomically);
  }

  private RunStore(Path runsDir, Clock clock, RunIds ids, ProcessProbe probe, Listener listener,
      RecordWriter writer) {
    this.runsDir = runsDir;
    this.clock = clock;
    this.ids = ids;
    this.probe = probe;
    this.listener = listener;
    this.writer = writer;
  }

  /** This store, telling {@code newListener} of every record it writes. */
  public RunStore listening(Listener newListener) {
    return new RunStore(runsDir, clock, ids, probe, newListener, writer);
  }

  /** This store, writing record files with {@code newWriter} (tests inject a full disk). */
  public RunStore writingWith(RecordWriter newWriter) {
    return new RunStore(runsDir, clock, ids, probe, listener, newWriter);
  }

  /** The folder that holds the runs. */
  public Path runsDir() {
    return runsDir;
  }

  /** The folder of one run. */
  public Path dir(String id) {
    if (!RunIds.isValid(id)) {
      throw new ResearchException("`" + id + "` is not a run id (they look like 20261127-025120-123-k3f9x2ab). "
          + "Fix: copy one from runs/ or from `mvn research:status`.");
    }
    return runsDir.resolve(id);
  }

  /** Creates a new, empty run folder with a fresh id and returns the id. */
  public String createDir() throws IOException {
    Files.createDirectories(runsDir);
    for (int attempt = 0; attempt < 100; attempt++) {
      String id = ids.next();
      try {
        Files.createDirectory(runsDir.resolve(id));
        Files.createDirectory(runsDir.resolve(id).resolve(ARTIFACTS));
        return id;
      } catch (FileAlreadyExistsException e) {
        // Another process took this id in the same millisecond: draw again.
      }
    }
    throw new IOException("could not create a unique run folder under " + runsDir);
  }

  /** Writes a run's record atomically. */
  public void write(RunRecord record) throws IOException {
    Path file = dir(record.id()).resolve(RUN_JSON);
    RunRecord before = listener == null || !Files.exists(file) ? null : find(record.id()).orElse(null);
    writer.write(file, record);
    if (listener != null) {
      listener.written(before, record, dir(record.id()));
    }
  }

  /** Reads one run's record. */
  public RunRecord read(String id) throws IOException {
    Path file = dir(id).resolve(RUN_JSON);
    try {
      return Json.mapper().readValue(file.toFile(), RunRecord.class);
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new ResearchException("runs/" + id + "/run.json: no such run. Fix: pick an id from `ls runs`"
          + " or `mvn research:status`.");
    }
  }

  /** Reads one run's record if it exists and is readable. */
  public Optional<RunRecord> find(String id) {
    try {
      return Optional.of(read(id));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Every readable run record, oldest first. */
  public List<RunRecord> list() throws IOException {
    if (!Files.isDirectory(runsDir)) {
      return List.of();
    }
    List<RunRecord> records = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runsDir)) {
      for (Path d : dirs.sorted().toList()) {
        String name = d.getFileName().toString();
        if (RunIds.isValid(name) && Files.isRegularFile(d.resolve(RUN_JSON))) {
          find(name).ifPresent(records::add);
        }
      }
    }
    return records;
  }

  /**
   * One line per run folder whose record cannot be read (cut short by a full disk, edited by hand):
   * {@link #list} leaves such folders out, and a report names them instead of failing.
   */
  public List<String> unreadable() throws IOException {
    if (!Files.isDirectory(runsDir)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runsDir)) {
      for (Path d : dirs.sorted().toList()) {
        String name = d.getFileName().toString();
        Path file = d.resolve(RUN_JSON);
        if (RunIds.isValid(name) && Files.isRegularFile(file)) {
          try {
            Json.mapper().readValue(file.toFile(), RunRecord.class);
          } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                .orElse("");
            lines.add(RunFiles.RUNS + "/" + name + "/" + RUN_JSON + " cannot be read (" + why + "): left out. Fix: "
                + "git checkout -- " + RunFiles.RUNS + "/" + name + " if it was committed, or free space and let the "
                + "run end");
          }
        }
      }
    }
    return lines;
  }

  /**
   * Marks as {@code crashed} every running record of this host whose training process is gone, and
   * returns the records it changed. Records of other hosts are left to their own host, and records
   * of a scheduler to that scheduler's reconciliation.
   */
  public List<RunRecord> reconcile(String host) throws IOException {
    return reconcile(host, list());
  }

  /**
   * As {@link #reconcile(String)}, over records the caller has already listed. A run is marked
   * crashed only under its {@link LiveLock}: while its launching process lives, it holds the lock
   * and writes the run's end itself; the record is read again under the lock before it is written.
   * A record that cannot be written (a full disk) is left for the next call.
   */
  public List<RunRecord> reconcile(String host, List<RunRecord> records) throws IOException {
    List<RunRecord> changed = new ArrayList<>();
    for (RunRecord listed : records) {
      if (!local(listed, host) || gone(listed) == null) {
        continue;
      }
      Optional<LiveLock> lock;
      try {
        lock = LiveLock.tryHold(dir(listed.id()));
      } catch (IOException e) {
        continue; // A folder this process cannot lock (read-only, disk full) is not this process's to change.
      }
      if (lock.isEmpty()) {
        continue; // Its launcher is alive and will record the end.
      }
      try (LiveLock held = lock.get()) {
        RunRecord r = find(listed.id()).orElse(null);
        String reason = r != null && local(r, host) ? gone(r) : null;
        if (reason == null) {
          continue;
        }
        Path metrics = dir(r.id()).resolve(METRICS);
        Instant end = Files.exists(metrics) ? Files.getLastModifiedTime(metrics).toInstant() : clock.instant();
        Map<String, Double> finals = MetricsReader.finalValues(metrics);
        RunRecord crashed = r.observed(r.environment(), finals).ended(RunStatus.CRASHED, reason, end, null);
        try {
          write(crashed);
        } catch (IOException e) {
          continue; // Written by the next call, once there is room.
        }
        changed.add(crashed);
      }
    }
    return changed;
  }

  private static boolean local(RunRecord r, String host) {
    return r.status() == RunStatus.RUNNING && host.equals(r.host()) && !r.scheduled();
  }

  /** Why a running record's process is gone, or null while it may still be going. */
  private String gone(RunRecord r) {
    if (r.pid() == null) {
      boolean abandoned = r.started() != null && r.started().plus(NEVER_STARTED).isBefore(clock.instant());
      return abandoned ? "the training process never started (the launching process died first)" : null;
    }
    Instant launched = r.resumes() == null || r.resumes().isEmpty()
        ? r.started() : r.resumes().get(r.resumes().size() - 1).at();
    return probe.alive(r.pid(), launched) ? null : "the training process (pid " + r.pid() + ") disappeared without"
        + " exiting: killed by a signal, out of memory, or its launcher died";
  }

  /**
   * The record of a run whose training process exited with {@code code}: status and reason from
   * the code, environment and final metrics from the run folder, ended now.
   */
  public RunRecord complete(RunRecord running, int code) throws IOException {
    RunStatus status;
    String reason;
    if (code == 0) {
      status = RunStatus.FINISHED;
      reason = null;
    } else if (code == DiskFull.EXIT_CODE) {
      status = RunStatus.CRASHED;
      reason = DiskFull.REASON + ": the training process could not write its metrics or checkpoints (exit code "
          + code + "); free space, then resume it with -Dresearch.resume=" + running.id();
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
    return completeAs(running, status, reason, code);
  }

  /**
   * The record of a run that ended with {@code status} (as a scheduler reported it): environment
   * and final metrics from the run folder, ended now.
   */
  public RunRecord completeAs(RunRecord running, RunStatus status, String reason, Integer code) throws IOException {
    Path dir = dir(running.id());
    Map<String, Double> finals = MetricsReader.finalValues(dir.resolve(METRICS));
    return running.observed(readEnvironment(dir), finals).ended(status, reason, clock.instant(), code);
  }

  private static Map<String, Object> readEnvironment(Path dir) {
    Path file = dir.resolve(ENVIRONMENT);
    Map<String, Object> env = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      try {
        env.putAll(Json.mapper().readValue(file.toFile(),
            new TypeReference<Map<String, Object>>() {}));
      } catch (IOException e) {
        env.put("error", "environment.json unreadable: " + e.getMessage());
      }
    }
    return env.isEmpty() ? null : env;
  }
}
