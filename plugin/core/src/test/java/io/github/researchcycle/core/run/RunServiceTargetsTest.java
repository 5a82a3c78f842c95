package io.github.researchcycle.core.run;

import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.cycle.PreRegistration;
import io.github.researchcycle.core.cycle.RunCounts;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.launch.KubernetesJobs;
import io.github.researchcycle.core.launch.KubernetesLauncher;
import io.github.researchcycle.core.launch.Launchers;
import io.github.researchcycle.core.launch.Programs;
import io.github.researchcycle.core.launch.TpuVmLauncher;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * research:run on the kubernetes and tpu-vm targets, through the whole service: an experiment
 * named {@code a b'c;$x} written as a Job manifest and a TPU VM script (dry runs), and a missing
 * kubectl refused before any run folder exists.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RunServiceTargetsTest {
  static final String HOSTILE = "a b'c;$x";

  @TempDir Path tmp;
  Path root;
  Git git;
  RunService service;
  final RunServiceFixture.CapturingReporter reporter = new RunServiceFixture.CapturingReporter();

  @BeforeEach
  void repository() throws Exception {
    root = Files.createDirectories(tmp.resolve("research repo"));
    git = init(root);
    write(root, "research.yaml", RunServiceFixture.RESEARCH_YAML);
    write(root, "experiments/smoke.yaml", RunServiceFixture.EXPERIMENT);
    write(root, "experiments/baseline.yaml", RunServiceFixture.EXPERIMENT);
    write(root, "experiments/longer.yaml", RunServiceFixture.EXPERIMENT);
    write(root, "experiments/" + HOSTILE + ".yaml", RunServiceFixture.EXPERIMENT);
    write(root, "launch/local.yaml", "target: local\n");
    write(root, "launch/cluster.yaml", "target: kubernetes\ncpus: 2\nmemory: 4G\nkubernetes:\n"
        + "  image: registry.example.org/lab/fake:1\n  runsClaim: research-runs\n");
    write(root, "launch/tpu.yaml", "target: tpu-vm\ndevices: tpu\ntpu:\n  type: v4-8\n  zone: us-central2-b\n"
        + "  runtimeVersion: tpu-ubuntu2204-base\n  command: [python3, train_tpu.py]\n");
    commitAll(git, "start");
    Path empty = Files.createDirectories(tmp.resolve("no programs"));
    Programs none = Programs.onPath(empty.toString());
    service = new RunService(Clock.systemUTC(), new RunIds(Clock.systemUTC(), new SecureRandom()),
        ProcessProbe.system(), "testhost").withLaunchers(Launchers.system()
            .with("kubernetes", new KubernetesLauncher(none, Duration.ofMillis(10)))
            .with("tpu-vm", new TpuVmLauncher(none)));
    RunRecord smoke = service.run(request("smoke", "local", false), reporter).get(0).record();
    assertEquals(RunStatus.FINISHED, smoke.status(), smoke.reason());
  }

  @AfterEach
  void close() {
    git.close();
  }

  RunRequest request(String experiment, String profile, boolean dryRun) {
    return new RunRequest(root, experiment, profile, List.of(), null, 2, false, null, RunServiceFixture.testClasspath(),
        "0.1.0-SNAPSHOT", false, null, dryRun, null);
  }

  List<String> runFolders() throws Exception {
    try (var s = Files.list(root.resolve("runs"))) {
      return s.map(p -> p.getFileName().toString()).filter(RunIds::isValid).sorted().toList();
    }
  }

  @Test
  void withoutKubectlNothingIsCreatedAndTheMessageNamesTheDryRun() throws Exception {
    List<String> before = runFolders();
    ResearchException e = assertThrows(ResearchException.class,
        () -> service.run(request(HOSTILE, "cluster", false), reporter));
    assertTrue(e.getMessage().contains("`kubectl`") && e.getMessage().contains("-Dresearch.dryRun=true"),
        e.getMessage());
    assertEquals(before, runFolders(), "refused before any run folder");
  }

  @Test
  void aHostileExperimentBecomesAnIndexedJobManifest() throws Exception {
    List<RunOutcome> out = service.run(request(HOSTILE, "cluster", true), reporter);
    assertEquals(2, out.size());
    String yaml = Files.readString(out.get(0).dir().resolve(KubernetesJobs.MANIFEST));
    assertEquals(yaml, Files.readString(out.get(1).dir().resolve(KubernetesJobs.MANIFEST)));
    var job = KubernetesJobs.readStrict(yaml);
    assertEquals("Indexed", job.getSpec().getCompletionMode());
    assertTrue(job.getMetadata().getName().matches("a-b-c-x-[0-9a-z-]+"), job.getMetadata().getName());
    assertEquals(HOSTILE, job.getMetadata().getAnnotations().get(KubernetesJobs.EXPERIMENT_ANNOTATION));
    for (RunOutcome o : out) {
      assertEquals(RunStatus.QUEUED, o.record().status());
      assertEquals(HOSTILE, o.record().experiment());
      // A dry run's records say they were never submitted, and nothing counts them as going.
      assertTrue(o.record().dryRun());
      assertEquals(RunStatus.QUEUED, service.store(root).read(o.record().id()).status());
      assertTrue(service.store(root).read(o.record().id()).dryRun());
    }
    var counts = RunCounts.of(service.store(root).list());
    assertEquals(0, counts.get(HOSTILE).running());
    assertTrue(PreRegistration.find(root,
        DescriptorLoader.load(root), service.store(root).list()).isEmpty());
  }

  @Test
  void aHostileExperimentBecomesTpuVmScripts() throws Exception {
    List<RunOutcome> out = service.run(request(HOSTILE, "tpu", true), reporter);
    assertEquals(2, out.size());
    for (RunOutcome o : out) {
      assertEquals(RunStatus.QUEUED, o.record().status());
      String script = Files.readString(o.dir().resolve(TpuVmLauncher.SCRIPT));
      assertTrue(script.contains("VM=rc-a-b-c-x-" + o.record().id() + "\n"), script);
      assertTrue(script.contains("RESEARCH_EXPERIMENT='\\''a b'\\''\\'\\'''\\''c;$x'\\''"), script);
    }
  }
}
