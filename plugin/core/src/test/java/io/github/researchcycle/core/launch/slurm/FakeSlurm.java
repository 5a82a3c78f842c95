package io.github.researchcycle.core.launch.slurm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Slurm for tests that runs submitted batch scripts for real with bash, on this machine: each
 * task with {@code SLURM_JOB_ID} and {@code SLURM_ARRAY_TASK_ID} set, {@code %P} at a time, the
 * job's own output appended to {@code output.log} of the folder it was submitted from (one run) or
 * dropped (arrays), as the rendered {@code #SBATCH} lines ask.
 */
final class FakeSlurm implements SlurmClient {
  private static final Pattern ARRAY = Pattern.compile("(?m)^#SBATCH --array=0-([0-9]+)%([0-9]+)$");

  volatile String unavailable;
  volatile String refuse;
  /** While closed, tasks stay pending. */
  volatile CountDownLatch gate = new CountDownLatch(0);
  final List<Path> submitted = new ArrayList<>();
  final Set<String> forgotten = ConcurrentHashMap.newKeySet();
  final Map<String, State> accounting = new ConcurrentHashMap<>();
  final Map<String, FakeJob> jobs = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(100);

  static final class FakeTask {
    final int index;
    final String rawId;
    volatile State state = new State("PENDING", 0, 0, "None");
    volatile Process process;
    volatile boolean cancelled;

    FakeTask(int index, String rawId) {
      this.index = index;
      this.rawId = rawId;
    }
  }

  record FakeJob(String id, boolean array, List<FakeTask> tasks) {}

  /** Lets pending tasks start. */
  void open() {
    gate.countDown();
  }

  /** Keeps tasks pending until {@link #open()}. */
  void hold() {
    gate = new CountDownLatch(1);
  }

  @Override
  public Optional<String> unavailable() {
    return Optional.ofNullable(unavailable);
  }

  @Override
  public synchronized String submit(Path script, Path workDir) throws IOException {
    if (refuse != null) {
      throw new SlurmException("sbatch refused the job: " + refuse);
    }
    submitted.add(script);
    String text = Files.readString(script, StandardCharsets.UTF_8);
    Matcher m = ARRAY.matcher(text);
    boolean array = m.find();
    int count = array ? Integer.parseInt(m.group(1)) + 1 : 1;
    int parallel = array ? Integer.parseInt(m.group(2)) : 1;
    String jobId = String.valueOf(ids.getAndIncrement());
    List<FakeTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(new FakeTask(i, count == 1 ? jobId : String.valueOf(ids.getAndIncrement())));
    }
    FakeJob job = new FakeJob(jobId, count > 1, tasks);
    jobs.put(jobId, job);
    CountDownLatch waitFor = gate;
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    for (FakeTask t : tasks) {
      pool.submit(() -> runTask(job, t, script, workDir, waitFor));
    }
    pool.shutdown();
    return jobId;
  }

  private void runTask(FakeJob job, FakeTask t, Path script, Path workDir, CountDownLatch waitFor) {
    try {
      waitFor.await();
      synchronized (t) {
        if (t.cancelled) {
          return;
        }
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(workDir.toFile())
            .redirectErrorStream(true);
        pb.environment().put("SLURM_JOB_ID", t.rawId);
        if (job.array()) {
          pb.environment().put("SLURM_ARRAY_JOB_ID", job.id());
          pb.environment().put("SLURM_ARRAY_TASK_ID", String.valueOf(t.index));
          pb.redirectOutput(new File("/dev/null"));
        } else {
          pb.redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("output.log").toFile()));
        }
        t.process = pb.start();
        t.state = new State("RUNNING", 0, 0, null);
      }
      int code = t.process.waitFor();
      synchronized (t) {
        if (!t.cancelled) {
          t.state = code == 0 ? new State("COMPLETED", 0, 0, null) : new State("FAILED", code, 0, "NonZeroExitCode");
        }
      }
    } catch (IOException | InterruptedException e) {
      t.state = new State("FAILED", 1, 0, "JobLaunchFailure");
    }
  }

  /** Waits until every task of {@code jobId} has ended. */
  void awaitEnd(String jobId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (jobs.get(jobId).tasks().stream().anyMatch(t -> !t.state.ended())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + jobId + " did not end");
      }
      Thread.sleep(10);
    }
  }

  /** Waits until task {@code task} of {@code jobId} runs. */
  void awaitRunning(String jobId, int task) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!jobs.get(jobId).tasks().get(task).state.running()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("task " + task + " of job " + jobId + " did not start");
      }
      Thread.sleep(10);
    }
  }

  @Override
  public Job job(String jobId) throws IOException {
    FakeJob job = jobs.get(jobId);
    if (job == null || forgotten.contains(jobId)) {
      return Job.unknown();
    }
    Map<Integer, State> states = new TreeMap<>();
    for (FakeTask t : job.tasks()) {
      states.put(job.array() ? t.index : NO_TASK, t.state);
    }
    return new Job(true, states);
  }

  @Override
  public Optional<State> accounting(String jobId, Integer task, String rawJobId) {
    State s = accounting.get(task == null ? jobId : jobId + "_" + task);
    if (s == null && rawJobId != null) {
      s = accounting.get("raw:" + rawJobId);
    }
    return Optional.ofNullable(s);
  }

  @Override
  public void cancel(String jobId, Integer task) throws IOException {
    FakeJob job = jobs.get(jobId);
    if (job == null) {
      throw new SlurmException("scancel: error: Invalid job id " + jobId);
    }
    for (FakeTask t : job.tasks()) {
      if (task != null && t.index != task) {
        continue;
      }
      synchronized (t) {
        if (t.state.ended()) {
          continue;
        }
        t.cancelled = true;
        t.state = new State("CANCELLED", 0, 15, null);
        if (t.process != null) {
          t.process.descendants().forEach(ProcessHandle::destroy);
          t.process.destroy();
        }
      }
    }
  }
}
