package io.github.researchcycle.core.launch;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code kubernetes} target: a {@code batch/v1} Job per launch (an Indexed Job, one index per
 * run, for several runs), written as {@code job.yaml} into every run folder, applied with
 * {@code kubectl} and followed through {@code kubectl get job} until it ends. With
 * {@code -Dresearch.dryRun=true} the manifests are written and nothing is submitted.
 *
 * <p>The pods write their run folders on the profile's {@code runsClaim} volume. The records on
 * this machine are completed from the Job's status; their metrics and environment are read from
 * the local run folder, so they are complete when the claim is storage this machine also mounts at
 * the project's {@code runs/} (a shared file system). The pod's console is saved as the run's
 * {@code output.log} when the local folder has none.
 */
public final class KubernetesLauncher implements Launcher {
  /** The target's name in launch profiles. */
  public static final String TARGET = "kubernetes";

  private static final Duration CALL = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Programs programs;
  private final Duration poll;

  /** A launcher driving this machine's {@code kubectl}. */
  public KubernetesLauncher() {
    this(Programs.system(), Duration.ofSeconds(5));
  }

  /** A launcher driving the {@code kubectl} of {@code programs}, asking about jobs every {@code poll}. */
  public KubernetesLauncher(Programs programs, Duration poll) {
    this.programs = programs;
    this.poll = poll;
  }

  @Override
  public void check(String profileName, LaunchProfile profile, boolean dryRun) {
    if (dryRun) {
      return;
    }
    String file = "launch/" + profileName + ".yaml";
    if (programs.find("kubectl").isEmpty()) {
      throw new ResearchException(file + ": target kubernetes submits Jobs with `kubectl`, which is not on the PATH. "
          + "Fix: install kubectl and give it access to the cluster (`kubectl cluster-info` must answer), or write "
          + "the Job manifests without submitting them: -Dresearch.dryRun=true.");
    }
    Programs.Result r;
    try {
      r = programs.run(List.of("kubectl", "version", "--request-timeout=10s", "-o", "json"), null, CALL);
    } catch (IOException e) {
      r = new Programs.Result(-1, "", e.getMessage());
    }
    if (!r.ok()) {
      throw new ResearchException(file + ": target kubernetes needs a cluster, and `kubectl` reaches none ("
          + r.lastWords() + "). Fix: point kubectl at the cluster (its kubeconfig context; `kubectl cluster-info` "
          + "must answer), or write the Job manifests without submitting them: -Dresearch.dryRun=true.");
    }
  }

  @Override
  public List<RunRecord> launch(LaunchContext context, List<RunRecord> runs) throws IOException {
    RunStore store = context.store();
    Reporter reporter = context.reporter();
    KubernetesJobs.Spec spec = KubernetesJobs.spec(context, runs);
    Job job = KubernetesJobs.job(spec);
    String yaml = KubernetesJobs.yaml(job);
    boolean indexed = runs.size() > 1;
    LaunchProfile.Kubernetes k = context.profile().kubernetes();
    String namespace = k == null ? null : k.namespace();
    List<RunRecord> records = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      RunRecord r = runs.get(i);
      Files.writeString(context.dir(r).resolve(KubernetesJobs.MANIFEST), yaml, StandardCharsets.UTF_8);
      RunRecord.Launcher launcher = new RunRecord.Launcher(TARGET, spec.command(), context.profile().heapOrDefault(),
          null, indexed ? i : null, KubernetesJobs.MANIFEST, context.profile().devices(), null);
      RunRecord written = r.withLauncher(launcher);
      store.write(written);
      records.add(written);
    }
    String manifest = "runs/" + runs.get(0).id() + "/" + KubernetesJobs.MANIFEST;
    if (k == null || k.runsClaim() == null) {
      reporter.warn("launch/" + context.profileName() + ".yaml sets no `kubernetes.runsClaim`: the pods write their "
          + "run folders into an emptyDir volume, deleted with the pod, so metrics and checkpoints do not outlive it. "
          + "Fix: set `runsClaim` to a PersistentVolumeClaim (ideally storage this machine also mounts at runs/).");
    }
    if (context.dryRun()) {
      reporter.info("Dry run: wrote the " + (indexed ? "Indexed Job (" + runs.size() + " runs)" : "Job") + " "
          + spec.name() + " to " + manifest + (indexed ? " (the same manifest is in each run folder)" : "")
          + "; nothing was submitted and the records stay queued. Submit it with: kubectl apply -f " + manifest);
      return records;
    }
    Path manifestFile = context.dir(runs.get(0)).resolve(KubernetesJobs.MANIFEST);
    Programs.Result applied = kubectl(List.of("apply", "-f", manifestFile.toAbsolutePath().toString()));
    if (!applied.ok()) {
      String reason = "kubectl apply failed: " + applied.lastWords();
      for (int i = 0; i < records.size(); i++) {
        records.set(i, store.completeAs(records.get(i), RunStatus.FAILED, reason, null));
        store.write(records.get(i));
      }
      throw new ResearchException(manifest + ": " + reason + ". The runs are recorded as failed. Fix: check the "
          + "image, namespace and claim of launch/" + context.profileName() + ".yaml against the cluster, "
          + "or try the manifest by hand: kubectl apply -f " + manifest);
    }
    String jobId = namespace == null ? spec.name() : namespace + "/" + spec.name();
    for (int i = 0; i < records.size(); i++) {
      RunRecord r = records.get(i);
      records.set(i, r.withLauncher(r.launcher().withJob(jobId, indexed ? i : null)));
      store.write(records.get(i));
    }
    reporter.info("Submitted Job " + jobId + (indexed ? " (Indexed: " + runs.size() + " runs, "
        + Math.min(context.parallel(), runs.size()) + " at a time)" : "") + "; manifest " + manifest);
    if (!context.waitForEnd()) {
      return records;
    }
    reporter.info("Following Job " + jobId + " (Ctrl-C stops following, not the Job; kubectl delete job "
        + spec.name() + (namespace == null ? "" : " -n " + namespace) + " cancels it)");
    return follow(store, records, reporter, indexed ? null : reporter.console());
  }

  @Override
  public List<RunRecord> reconcile(RunStore store, List<RunRecord> active) throws IOException {
    if (programs.find("kubectl").isEmpty()) {
      return List.of();
    }
    Set<String> jobs = new TreeSet<>();
    for (RunRecord r : active) {
      if (r.launcher() != null && r.launcher().jobId() != null) {
        jobs.add(r.launcher().jobId());
      }
    }
    // Every run of a Job, in the order of its completion index (a run's position is its index, as
    // when the Job was made), ended ones included: they keep their place and are left as they are.
    Map<String, List<RunRecord>> byJob = new LinkedHashMap<>();
    for (RunRecord r : jobs.isEmpty() ? List.<RunRecord>of() : store.list()) {
      if (r.launcher() != null && jobs.contains(r.launcher().jobId())) {
        byJob.computeIfAbsent(r.launcher().jobId(), j -> new ArrayList<>()).add(r);
      }
    }
    List<RunRecord> changed = new ArrayList<>();
    for (List<RunRecord> records : byJob.values()) {
      records.sort(Comparator.comparing(r -> r.launcher().arrayTask() == null ? 0 : r.launcher().arrayTask()));
      boolean inPlace = true;
      for (int i = 0; i < records.size(); i++) {
        Integer task = records.get(i).launcher().arrayTask();
        inPlace &= task == null ? records.size() == 1 : task == i;
      }
      if (!inPlace) {
        continue;
      }
      List<RunRecord> before = List.copyOf(records);
      List<RunRecord> after = new ArrayList<>(records);
      if (update(store, after, null) == null) {
        continue;
      }
      for (int i = 0; i < after.size(); i++) {
        if (!after.get(i).equals(before.get(i))) {
          changed.add(after.get(i));
        }
      }
    }
    return changed;
  }

  /** Asks about the Job every poll until all its runs have ended; streams the pod's log for a plain Job. */
  private List<RunRecord> follow(RunStore store, List<RunRecord> records, Reporter reporter, OutputStream console)
      throws IOException {
    List<RunRecord> current = new ArrayList<>(records);
    Thread logs = null;
    try {
      while (true) {
        Boolean running = update(store, current, reporter);
        if (console != null && logs == null && Boolean.TRUE.equals(running)) {
          logs = streamLogs(current.get(0), console);
        }
        if (current.stream().noneMatch(r -> r.status().active())) {
          break;
        }
        Thread.sleep(poll.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reporter.warn("Stopped following; the Job goes on. mvn research:status records how its runs end.");
    } finally {
      if (logs != null) {
        try {
          logs.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return current;
  }

  private Thread streamLogs(RunRecord run, OutputStream console) {
    JobRef ref = JobRef.of(run.launcher().jobId());
    Thread t = new Thread(() -> {
      try {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(ref.kubectl("logs", "-f", "job/" + ref.name()));
        programs.stream(command, null, console, null);
      } catch (IOException e) {
        // The log is fetched again when the run ends.
      }
    }, "research-kubectl-logs");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Brings {@code records} (the runs of one Job, in index order) up to date with the cluster and
   * writes the changed ones; returns whether a pod is running, or null when the cluster did not
   * answer (nothing is changed then).
   */
  private Boolean update(RunStore store, List<RunRecord> records, Reporter reporter) throws IOException {
    JobRef ref = JobRef.of(records.get(0).launcher().jobId());
    Programs.Result got = kubectl(ref.kubectl("get", "job", ref.name(), "-o", "json"));
    if (!got.ok()) {
      if ((got.stderr() + got.stdout()).contains("NotFound")) {
        for (int i = 0; i < records.size(); i++) {
          if (records.get(i).status().active()) {
            end(store, records, i, RunStatus.CANCELLED, "the Job " + ref.name() + " was deleted", null, reporter);
          }
        }
        return false;
      }
      return null;
    }
    Job job;
    PodList pods;
    try {
      job = JSON.readValue(got.stdout(), Job.class);
      Programs.Result listed = kubectl(ref.kubectl("get", "pods", "-l", "job-name=" + ref.name(), "-o", "json"));
      pods = listed.ok() ? JSON.readValue(listed.stdout(), PodList.class) : new PodList();
    } catch (JacksonException e) {
      return null;
    }
    JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
    boolean indexed = records.stream().anyMatch(r -> r.launcher() != null && r.launcher().arrayTask() != null);
    Set<Integer> succeeded = indexed ? indexes(status.getCompletedIndexes())
        : (status.getSucceeded() != null && status.getSucceeded() > 0 ? Set.of(0) : Set.of());
    Set<Integer> failed = indexed ? indexes(status.getFailedIndexes())
        : (status.getFailed() != null && status.getFailed() > 0 ? Set.of(0) : Set.of());
    Map<Integer, Pod> podByIndex = new HashMap<>();
    for (Pod p : pods.getItems() == null ? List.<Pod>of() : pods.getItems()) {
      String index = p.getMetadata() == null || p.getMetadata().getAnnotations() == null ? null
          : p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index");
      int i = index == null ? 0 : Integer.parseInt(index);
      Pod seen = podByIndex.get(i);
      if (seen == null || String.valueOf(p.getMetadata().getCreationTimestamp())
          .compareTo(String.valueOf(seen.getMetadata().getCreationTimestamp())) >= 0) {
        podByIndex.put(i, p);
      }
    }
    JobCondition ended = null;
    for (JobCondition c : status.getConditions() == null ? List.<JobCondition>of() : status.getConditions()) {
      if ("True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))) {
        ended = c;
      }
    }
    boolean anyRunning = false;
    for (int i = 0; i < records.size(); i++) {
      RunRecord r = records.get(i);
      if (!r.status().active()) {
        continue;
      }
      Pod pod = podByIndex.get(i);
      String phase = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (succeeded.contains(i)) {
        end(store, records, i, RunStatus.FINISHED, null, 0, reporter);
      } else if (ended != null && "Failed".equals(ended.getType()) && "DeadlineExceeded".equals(ended.getReason())) {
        end(store, records, i, RunStatus.TIMED_OUT, "the Job reached its deadline (the profile's timeLimit): "
            + String.valueOf(ended.getMessage()), null, reporter);
      } else if (failed.contains(i) || (ended != null && "Failed".equals(ended.getType()))) {
        Integer code = exitCode(pod);
        if (code != null && code != 0) {
          RunRecord done = store.complete(r.withLauncher(r.launcher().withSchedulerState("Failed")), code);
          saveLog(store, done, i, indexed);
          store.write(done);
          records.set(i, done);
          say(reporter, done, indexed, i);
        } else {
          end(store, records, i, RunStatus.FAILED, ended == null ? "the pod failed"
              : "the Job failed: " + ended.getReason() + " (" + ended.getMessage() + ")", null, reporter);
        }
      } else if ("Running".equals(phase)) {
        anyRunning = true;
        if (r.status() != RunStatus.RUNNING) {
          RunRecord running = r.running(r.launcher().withSchedulerState("Running"));
          store.write(running);
          records.set(i, running);
          say(reporter, running, indexed, i);
        }
      } else if (phase != null && r.launcher().schedulerState() == null) {
        RunRecord seen = r.withLauncher(r.launcher().withSchedulerState(phase));
        store.write(seen);
        records.set(i, seen);
      }
    }
    return anyRunning;
  }

  private void end(RunStore store, List<RunRecord> records, int i, RunStatus status, String reason, Integer code,
      Reporter reporter) throws IOException {
    RunRecord r = records.get(i);
    String state = switch (status) {
      case FINISHED -> "Complete";
      case TIMED_OUT -> "DeadlineExceeded";
      case CANCELLED -> "Deleted";
      default -> "Failed";
    };
    RunRecord done = store.completeAs(r.withLauncher(r.launcher().withSchedulerState(state)), status, reason, code);
    if (status != RunStatus.CANCELLED) {
      saveLog(store, done, i, records.size() > 1);
    }
    store.write(done);
    records.set(i, done);
    say(reporter, done, records.size() > 1, i);
  }

  private static void say(Reporter reporter, RunRecord r, boolean indexed, int i) {
    if (reporter != null) {
      reporter.info("Run " + r.id() + (indexed ? " (index " + i + ")" : "") + ": " + r.status().json()
          + (r.reason() == null ? "" : " (" + r.reason() + ")"));
    }
  }

  /** Saves the pod's console as the run's {@code output.log} when the run folder here has none. */
  private void saveLog(RunStore store, RunRecord r, int index, boolean indexed) {
    Path log = store.dir(r.id()).resolve(RunStore.OUTPUT_LOG);
    if (Files.exists(log)) {
      return;
    }
    JobRef ref = JobRef.of(r.launcher().jobId());
    List<String> args = indexed
        ? ref.kubectl("logs", "-l", "job-name=" + ref.name() + ",batch.kubernetes.io/job-completion-index=" + index,
            "--tail=-1")
        : ref.kubectl("logs", "job/" + ref.name());
    try {
      Programs.Result logs = kubectl(args);
      if (logs.ok() && !logs.stdout().isEmpty()) {
        Files.writeString(log, logs.stdout(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      // The log stays with the pod (kubectl logs); the record does not depend on it.
    }
  }

  private static Integer exitCode(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
      if (c.getState() != null && c.getState().getTerminated() != null) {
        return c.getState().getTerminated().getExitCode();
      }
    }
    return null;
  }

  /** The indexes of a Job's {@code completedIndexes} or {@code failedIndexes}: {@code 1,3-5}. */
  static Set<Integer> indexes(String list) {
    Set<Integer> out = new HashSet<>();
    if (list == null || list.isBlank()) {
      return out;
    }
    for (String part : list.split(",")) {
      String[] range = part.trim().split("-");
      int from = Integer.parseInt(range[0]);
      int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
      for (int i = from; i <= to; i++) {
        out.add(i);
      }
    }
    return out;
  }

  private Programs.Result kubectl(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("kubectl");
    command.addAll(args);
    return programs.run(command, null, CALL);
  }

  /** A Job as recorded in {@code launcher.jobId}: {@code NAMESPACE/NAME}, or {@code NAME} in the context's namespace. */
  private record JobRef(String namespace, String name) {
    static JobRef of(String jobId) {
      int slash = jobId.indexOf('/');
      return slash < 0 ? new JobRef(null, jobId) : new JobRef(jobId.substring(0, slash), jobId.substring(slash + 1));
    }

    /** kubectl arguments with this Job's namespace. */
    List<String> kubectl(String... args) {
      List<String> out = new ArrayList<>(List.of(args));
      if (namespace != null) {
        out.add("--namespace=" + namespace);
      }
      return out;
    }
  }
}
