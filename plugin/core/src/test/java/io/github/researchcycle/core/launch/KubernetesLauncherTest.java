package io.github.researchcycle.core.launch;

import static io.github.researchcycle.core.launch.LaunchFixtures.HOSTILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes launcher against a fake {@code kubectl}: a script that logs its calls and answers
 * {@code get job} with the next of a series of prepared Job states, as a cluster would over time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubernetesLauncherTest {
  static final String FAKE_KUBECTL = String.join("\n",
      "#!/bin/sh",
      "state=\"$(dirname \"$0\")/state\"",
      "{ printf 'kubectl'; for a in \"$@\"; do printf ' [%s]' \"$a\"; done; echo; } >> \"$state/calls.log\"",
      "case \"$1\" in",
      "  version) [ -f \"$state/no-cluster\" ] && { echo 'The connection to the server localhost:8080 was refused' >&2;"
          + " exit 1; }; echo '{}' ;;",
      "  apply) [ -f \"$state/refuse\" ] && { echo 'error: the namespace \"research\" was not found' >&2; exit 1; };"
          + " cp \"$3\" \"$state/applied.yaml\"; echo 'job.batch/x created' ;;",
      "  get)",
      "    if [ \"$2\" = job ]; then",
      "      [ -f \"$state/deleted\" ] && { echo 'Error from server (NotFound): jobs.batch \"x\" not found' >&2; exit 1; }",
      "      if [ -f \"$state/n\" ]; then n=$(cat \"$state/n\"); [ -f \"$state/job.$((n + 1)).json\" ] && n=$((n + 1));"
          + " else n=0; fi",
      "      echo \"$n\" > \"$state/n\"; cat \"$state/job.$n.json\"",
      "    else",
      "      n=$(cat \"$state/n\" 2>/dev/null || echo 0)",
      "      if [ -f \"$state/pods.$n.json\" ]; then cat \"$state/pods.$n.json\"; else echo '{\"items\":[]}'; fi",
      "    fi ;;",
      "  logs) echo \"pod log: $*\" ;;",
      "  *) echo \"unexpected: $*\" >&2; exit 9 ;;",
      "esac",
      "");

  @TempDir Path tmp;
  Path project;
  Path bin;
  Path state;
  RunStore store;
  LaunchFixtures.Capture reporter;

  @BeforeEach
  void fakes() throws Exception {
    project = Files.createDirectories(tmp.resolve("my project"));
    bin = Files.createDirectories(tmp.resolve("bin"));
    state = Files.createDirectories(bin.resolve("state"));
    Path kubectl = Files.writeString(bin.resolve("kubectl"), FAKE_KUBECTL);
    kubectl.toFile().setExecutable(true);
    store = LaunchFixtures.store(project);
    reporter = new LaunchFixtures.Capture();
  }

  KubernetesLauncher launcher() {
    return new KubernetesLauncher(Programs.onPath(bin + ":/usr/bin:/bin"), Duration.ofMillis(20));
  }

  static LaunchProfile profile(String claim) {
    return LaunchFixtures.kubernetes(new LaunchProfile.Kubernetes("registry.example.org/lab/spirals:1.0", "research",
        null, claim, null, null, null), null, 2, "4G", "01:00:00", Map.of());
  }

  List<RunRecord> queued(int n, String experiment) throws Exception {
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      runs.add(LaunchFixtures.queued(store, "20261127-025120-12" + i + "-k3f9x2ab", experiment, i + 1, "kubernetes"));
    }
    return runs;
  }

  LaunchContext context(LaunchProfile profile, boolean wait, boolean dryRun, int parallel) {
    return LaunchFixtures.context(project, store, "cluster", profile, Map.of(), reporter, wait, dryRun, parallel);
  }

  void states(String... jobs) throws Exception {
    for (int i = 0; i < jobs.length; i++) {
      Files.writeString(state.resolve("job." + i + ".json"), jobs[i]);
    }
  }

  void pods(int at, String pods) throws Exception {
    Files.writeString(state.resolve("pods." + at + ".json"), pods);
  }

  static String pod(int index, String phase, Integer exitCode) {
    String terminated = exitCode == null ? "" : ",\"containerStatuses\":[{\"name\":\"train\",\"state\":{\"terminated\":"
        + "{\"exitCode\":" + exitCode + "}}}]";
    return "{\"metadata\":{\"name\":\"p" + index + "\",\"creationTimestamp\":\"2026-11-27T03:00:0" + index + "Z\","
        + "\"annotations\":{\"batch.kubernetes.io/job-completion-index\":\"" + index + "\"}},"
        + "\"status\":{\"phase\":\"" + phase + "\"" + terminated + "}}";
  }

  String calls() throws Exception {
    Path log = state.resolve("calls.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  void aDryRunWritesTheManifestIntoEachRunFolderAndSubmitsNothing() throws Exception {
    List<RunRecord> runs = queued(2, HOSTILE);
    List<RunRecord> out = launcher().launch(context(profile("research-runs"), true, true, 2), runs);

    for (RunRecord r : out) {
      assertEquals(RunStatus.QUEUED, r.status());
      assertEquals(KubernetesJobs.MANIFEST, r.launcher().script());
      assertNull(r.launcher().jobId());
      assertEquals(r, store.read(r.id()));
      String yaml = Files.readString(store.dir(r.id()).resolve(KubernetesJobs.MANIFEST));
      assertEquals(r.launcher().arrayTask(), runs.indexOf(runs.stream().filter(x -> x.id().equals(r.id())).findFirst()
          .orElseThrow()));
      assertEquals(KubernetesJobs.yaml(KubernetesJobs.readStrict(yaml)), yaml);
    }
    assertEquals("", calls(), "a dry run calls no kubectl");
    assertTrue(reporter.all().contains("Dry run") && reporter.all().contains("kubectl apply -f runs/" + runs.get(0).id()
        + "/job.yaml") && reporter.all().contains("stay queued"), reporter.all());
  }

  @Test
  void theCheckNamesWhatIsMissingAndTheDryRun() throws Exception {
    KubernetesLauncher none = new KubernetesLauncher(Programs.onPath(tmp.resolve("empty").toString()),
        Duration.ofMillis(20));
    ResearchException e = assertThrows(ResearchException.class, () -> none.check("cluster", profile(null), false));
    assertTrue(e.getMessage().contains("launch/cluster.yaml") && e.getMessage().contains("`kubectl`")
        && e.getMessage().contains("-Dresearch.dryRun=true"), e.getMessage());
    none.check("cluster", profile(null), true);

    Files.writeString(state.resolve("no-cluster"), "");
    e = assertThrows(ResearchException.class, () -> launcher().check("cluster", profile(null), false));
    assertTrue(e.getMessage().contains("reaches none") && e.getMessage().contains("localhost:8080 was refused")
        && e.getMessage().contains("-Dresearch.dryRun=true"), e.getMessage());
    Files.delete(state.resolve("no-cluster"));
    launcher().check("cluster", profile(null), false);
  }

  @Test
  void oneRunIsAppliedFollowedAndCompleted() throws Exception {
    states("{\"status\":{}}",
        "{\"status\":{\"active\":1,\"startTime\":\"2026-11-27T03:00:00Z\"}}",
        "{\"status\":{\"succeeded\":1,\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}}");
    pods(1, "{\"items\":[" + pod(0, "Running", null) + "]}");
    RunRecord run = queued(1, HOSTILE).get(0);
    Files.writeString(store.dir(run.id()).resolve("metrics.jsonl"),
        "{\"step\":1,\"epoch\":0,\"name\":\"loss\",\"value\":0.5,\"time\":1}\n");

    RunRecord done = launcher().launch(context(profile("research-runs"), true, false, 1), List.of(run)).get(0);

    assertEquals(RunStatus.FINISHED, done.status(), done.reason());
    String name = "a-b-c-x-" + run.id();
    assertEquals("research/" + name, done.launcher().jobId());
    assertEquals("Complete", done.launcher().schedulerState());
    assertEquals(0.5, done.finalMetrics().get("loss"));
    assertEquals(done, store.read(run.id()));
    String calls = calls();
    assertTrue(calls.contains("kubectl [apply] [-f] [" + store.dir(run.id()).toAbsolutePath() + "/job.yaml]"), calls);
    assertTrue(calls.contains("kubectl [get] [job] [" + name + "] [-o] [json] [--namespace=research]"), calls);
    assertTrue(calls.contains("kubectl [logs] [-f] [job/" + name + "] [--namespace=research]"), calls);
    assertEquals(Files.readString(store.dir(run.id()).resolve(KubernetesJobs.MANIFEST)),
        Files.readString(state.resolve("applied.yaml")));
    assertTrue(reporter.console.toString(StandardCharsets.UTF_8).contains("pod log: logs -f job/" + name),
        "the pod's log streamed to the console");
    assertTrue(Files.readString(store.dir(run.id()).resolve("output.log")).contains("pod log: logs job/" + name),
        "the pod's log kept as output.log");
    assertTrue(reporter.all().contains("Run " + run.id() + ": running"), reporter.all());
    assertFalse(reporter.all().contains("WARN"), reporter.all());
  }

  @Test
  void anIndexedJobEndsEachRunOnItsOwn() throws Exception {
    states("{\"status\":{\"active\":3}}",
        "{\"status\":{\"active\":1,\"completedIndexes\":\"0\",\"failedIndexes\":\"1\"}}",
        "{\"status\":{\"completedIndexes\":\"0\",\"failedIndexes\":\"1\",\"conditions\":[{\"type\":\"Failed\","
            + "\"status\":\"True\",\"reason\":\"DeadlineExceeded\",\"message\":\"Job was active longer than specified "
            + "deadline\"}]}}");
    pods(0, "{\"items\":[" + pod(0, "Running", null) + "," + pod(1, "Running", null) + "," + pod(2, "Running", null)
        + "]}");
    pods(1, "{\"items\":[" + pod(0, "Succeeded", 0) + "," + pod(1, "Failed", 3) + "," + pod(2, "Running", null) + "]}");
    List<RunRecord> runs = queued(3, "wide");

    List<RunRecord> done = launcher().launch(context(profile(null), true, false, 3), runs);

    assertEquals(List.of(RunStatus.FINISHED, RunStatus.FAILED, RunStatus.TIMED_OUT),
        done.stream().map(RunRecord::status).toList(), done.toString());
    assertEquals(3, done.get(1).exitCode());
    assertTrue(done.get(1).reason().contains("exited with code 3"), done.get(1).reason());
    assertTrue(done.get(2).reason().contains("deadline"), done.get(2).reason());
    for (int i = 0; i < 3; i++) {
      assertEquals(i, done.get(i).launcher().arrayTask());
      assertEquals(done.get(i), store.read(runs.get(i).id()));
      assertTrue(Files.readString(store.dir(runs.get(i).id()).resolve("output.log"))
          .contains("batch.kubernetes.io/job-completion-index=" + i), "index " + i + "'s log");
    }
    assertTrue(reporter.all().contains("WARN launch/cluster.yaml sets no `kubernetes.runsClaim`"), reporter.all());
    assertTrue(reporter.all().contains("(index 1): failed"), reporter.all());
  }

  @Test
  void aLaterReconcileMatchesEachRunToItsOwnIndex() throws Exception {
    states("{\"status\":{\"completedIndexes\":\"0\"}}");
    pods(0, "{\"items\":[" + pod(0, "Succeeded", 0) + "," + pod(1, "Running", null) + "," + pod(2, "Running", null)
        + "]}");
    List<RunRecord> runs = queued(3, "wide");
    List<RunRecord> submitted = launcher().launch(context(profile("research-runs"), false, false, 3), runs);
    launcher().reconcile(store, submitted);
    assertEquals(RunStatus.FINISHED, store.read(runs.get(0).id()).status());
    // research:status again, with only the runs still going: index 1 must not take index 0's result.
    List<RunRecord> active = store.list().stream().filter(r -> r.status().active()).toList();
    assertEquals(2, active.size());
    launcher().reconcile(store, active);
    assertEquals(RunStatus.RUNNING, store.read(runs.get(1).id()).status());
    assertEquals(RunStatus.RUNNING, store.read(runs.get(2).id()).status());
  }

  @Test
  void aDeletedJobIsRecordedAsCancelledWhenReconciled() throws Exception {
    states("{\"status\":{}}");
    List<RunRecord> runs = queued(2, "wide");
    List<RunRecord> submitted = launcher().launch(context(profile("research-runs"), false, false, 1), runs);
    assertTrue(submitted.stream().allMatch(r -> r.status() == RunStatus.QUEUED && r.launcher().jobId() != null));

    assertEquals(List.of(), launcher().reconcile(store, submitted), "nothing changed yet");
    Files.writeString(state.resolve("deleted"), "");
    List<RunRecord> changed = launcher().reconcile(store, submitted);
    assertEquals(2, changed.size());
    for (RunRecord r : changed) {
      assertEquals(RunStatus.CANCELLED, r.status());
      assertTrue(r.reason().contains("was deleted"), r.reason());
      assertEquals(r, store.read(r.id()));
    }
  }

  @Test
  void aRefusedManifestFailsTheRecordsWithKubectlsWords() throws Exception {
    Files.writeString(state.resolve("refuse"), "");
    List<RunRecord> runs = queued(1, "wide");
    ResearchException e = assertThrows(ResearchException.class,
        () -> launcher().launch(context(profile("research-runs"), true, false, 1), runs));
    assertTrue(e.getMessage().contains("namespace \"research\" was not found")
        && e.getMessage().contains("kubectl apply -f runs/"), e.getMessage());
    RunRecord r = store.read(runs.get(0).id());
    assertEquals(RunStatus.FAILED, r.status());
    assertTrue(r.reason().startsWith("kubectl apply failed"), r.reason());
  }

  @Test
  void indexRanges() {
    assertEquals(Set.of(0, 2, 3, 4, 7), KubernetesLauncher.indexes("0,2-4,7"));
    assertEquals(Set.of(), KubernetesLauncher.indexes(null));
  }
}
