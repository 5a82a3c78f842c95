package io.github.researchcycle.core.launch;

import static io.github.researchcycle.core.launch.LaunchFixtures.HOSTILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.core.store.RunStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.DatabindException;

/**
 * The Job manifests of the kubernetes target: golden files, a round trip through the typed model,
 * a strict reading that refuses unknown fields, hostile experiment names, and the container's
 * entry script run for real.
 */
class KubernetesJobsTest {
  static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  static final List<String> IDS = List.of("20261127-025120-123-k3f9x2ab", "20261127-025120-124-m1r5v8qy",
      "20261127-025120-125-x2k7d3js");

  @TempDir Path project;

  static LaunchProfile.Kubernetes cluster(String workDir) {
    return new LaunchProfile.Kubernetes("registry.example.org/lab/spirals:1.0", "research", "nvidia.com/gpu",
        "research-runs", workDir, "trainer", "IfNotPresent");
  }

  static LaunchProfile profile(String workDir) {
    Map<String, String> env = new TreeMap<>(Map.of("OMP_NUM_THREADS", "4", "TRICKY", "p$HOME \"q\" 'r' `id` $(OMP_NUM_THREADS)"));
    return LaunchFixtures.kubernetes(cluster(workDir), "gpu:2", 8, "16G", "02:00:00", env);
  }

  KubernetesJobs.Spec spec(LaunchProfile profile, String experiment, int runs, int parallel) throws Exception {
    RunStore store = LaunchFixtures.store(project);
    List<RunRecord> records = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      records.add(LaunchFixtures.queued(store, IDS.get(i), experiment, i + 1, "kubernetes"));
    }
    LaunchContext context = LaunchFixtures.context(project, store, "gpu-cluster", profile,
        Map.of("research.data.dir.digits", "/home/me/.cache/research-cycle/data/digits"), new LaunchFixtures.Capture(),
        true, true, parallel);
    return KubernetesJobs.spec(context, records);
  }

  @Test
  void oneRunMatchesTheGoldenManifest() throws Exception {
    Job job = KubernetesJobs.job(spec(profile(null), HOSTILE, 1, 1));
    Golden.assertGolden("kubernetes-job.yaml", KubernetesJobs.yaml(job));

    assertEquals("batch/v1", job.getApiVersion());
    assertEquals("Job", job.getKind());
    assertNull(job.getSpec().getCompletionMode());
    assertEquals(0, job.getSpec().getBackoffLimit());
    assertEquals(7200L, job.getSpec().getActiveDeadlineSeconds());
    var pod = job.getSpec().getTemplate().getSpec();
    assertEquals("Never", pod.getRestartPolicy());
    assertEquals("trainer", pod.getServiceAccountName());
    assertEquals("research-runs", pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
    Container c = pod.getContainers().get(0);
    assertEquals("/workspace/runs", c.getVolumeMounts().get(0).getMountPath());
    assertEquals("2", c.getResources().getLimits().get("nvidia.com/gpu").toString());
    assertEquals("16Gi", c.getResources().getLimits().get("memory").toString());
    assertEquals("8", c.getResources().getRequests().get("cpu").toString());
    assertTrue(c.getArgs().contains("/workspace/target/classes:/workspace/target/dependency/*"), c.getArgs().toString());
    assertTrue(c.getArgs().contains("-Dresearch.data.dir.digits=/workspace/data-cache/digits"), c.getArgs().toString());
    assertTrue(c.getArgs().contains("-Dresearch.devices=gpu:2"), c.getArgs().toString());
    assertFalse(c.getArgs().stream().anyMatch(a -> a.startsWith("-Dresearch.run.dir=")), "the entry script adds it");
  }

  @Test
  void severalRunsMakeAnIndexedJobMatchingTheGoldenManifest() throws Exception {
    Job job = KubernetesJobs.job(spec(profile(null), "wide", 3, 2));
    Golden.assertGolden("kubernetes-job-indexed.yaml", KubernetesJobs.yaml(job));

    assertEquals("Indexed", job.getSpec().getCompletionMode());
    assertEquals(3, job.getSpec().getCompletions());
    assertEquals(2, job.getSpec().getParallelism());
    assertEquals(0, job.getSpec().getBackoffLimitPerIndex());
    assertNull(job.getSpec().getBackoffLimit(), "each index fails on its own");
    assertEquals(2 * 7200L, job.getSpec().getActiveDeadlineSeconds(), "two waves of pods");
    assertEquals(String.join(" ", IDS), job.getMetadata().getAnnotations().get(KubernetesJobs.RUNS_ANNOTATION));
    List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    for (int i = 0; i < 3; i++) {
      assertEquals("/workspace/runs/" + IDS.get(i), args.get(1 + 2 * i), "run folder of index " + i);
    }
    assertEquals("--", args.get(7));
    assertEquals("java", args.get(8));
  }

  @Test
  void manifestsRoundTripThroughTheTypedModel() throws Exception {
    for (int runs : new int[] {1, 3}) {
      Job job = KubernetesJobs.job(spec(profile("/opt/my project"), HOSTILE, runs, 3));
      String yaml = KubernetesJobs.yaml(job);
      Job back = KubernetesJobs.readStrict(yaml);
      assertEquals(job, back, yaml);
      assertEquals(yaml, KubernetesJobs.yaml(back));
    }
  }

  @Test
  void theStrictReadingRefusesUnknownFieldsWithTheirPath() throws Exception {
    String yaml = KubernetesJobs.yaml(KubernetesJobs.job(spec(profile(null), "wide", 1, 1)));
    String typo = yaml.replace("imagePullPolicy: \"IfNotPresent\"", "imagePullPolicyy: \"IfNotPresent\"");
    assertFalse(typo.equals(yaml), "the fixture changed the container's key:\n" + yaml);

    // The typed model alone keeps an unknown field aside, silently...
    Job lenient = KubernetesJobs.read(typo);
    assertEquals("IfNotPresent", lenient.getSpec().getTemplate().getSpec().getContainers().get(0)
        .getAdditionalProperties().get("imagePullPolicyy"));
    // ...the strict reading refuses it and says where it is.
    DatabindException e = assertThrows(DatabindException.class, () -> KubernetesJobs.readStrict(typo));
    assertTrue(e.getMessage().contains("imagePullPolicyy"), e.getMessage());
    assertTrue(e.getMessage().contains("containers"), e.getMessage());

    String top = yaml.replace("kind: \"Job\"", "kind: \"Job\"\nspecc: {}");
    e = assertThrows(DatabindException.class, () -> KubernetesJobs.readStrict(top));
    assertTrue(e.getMessage().contains("specc"), e.getMessage());
  }

  @Test
  void aHostileExperimentNameGivesADnsNameAndStaysInAnAnnotation() throws Exception {
    KubernetesJobs.Spec spec = spec(profile(null), HOSTILE, 3, 1);
    Job job = KubernetesJobs.job(spec);
    String name = job.getMetadata().getName();
    assertTrue(name.matches(DNS_LABEL) && name.length() <= 63, name);
    assertEquals("a-b-c-x-" + IDS.get(0), name);
    assertEquals(HOSTILE, job.getMetadata().getAnnotations().get(KubernetesJobs.EXPERIMENT_ANNOTATION));
    assertFalse(job.getMetadata().getLabels().values().stream().anyMatch(v -> v.contains("'") || v.contains(" ")));
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertFalse(String.join(" ", c.getCommand()).contains(HOSTILE), "the shell script is fixed text");
    assertEquals(List.of("/bin/sh", "-c", KubernetesJobs.literal(KubernetesJobs.ENTRY_SCRIPT)), c.getCommand());
    // Only the run records (one argv entry each) carry the name, as JSON data.
    List<String> carrying = c.getArgs().stream().filter(a -> a.contains("a b'c;")).toList();
    assertEquals(3, carrying.size(), c.getArgs().toString());
    assertTrue(carrying.stream().allMatch(a -> a.startsWith("{") && a.contains("\"experiment\":\"a b'c;$x\"")));

    String longName = "x".repeat(200) + " " + HOSTILE;
    String n = Names.job(longName, IDS.get(0));
    assertTrue(n.matches(DNS_LABEL) && n.length() <= 56 && n.endsWith(IDS.get(0)), n);
    assertEquals(IDS.get(0), Names.job("';$;'", IDS.get(0)));
  }

  @Test
  void theEntryScriptPicksTheRunOfItsIndexAndKeepsEveryArgumentLiteral() throws Exception {
    Path sh = Path.of("/bin/sh");
    assumeTrue(Files.isExecutable(sh), "no /bin/sh");
    Path work = Files.createDirectories(project.resolve("w d $x"));
    KubernetesJobs.Spec spec = spec(profile(work.toString()), HOSTILE, 3, 3);
    Container c = KubernetesJobs.job(spec).getSpec().getTemplate().getSpec().getContainers().get(0);
    // A fake `java` that prints its arguments one per line and exits with 3.
    Path bin = Files.createDirectories(project.resolve("bin"));
    Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n"
        + "printf '%s' \"$TRICKY\" > \"$(dirname \"$0\")/tricky.txt\"\nexit 3\n");
    java.toFile().setExecutable(true);
    // As the kubelet does: $(NAME) expanded from the container's environment, $$ read as $.
    Map<String, String> podEnv = new TreeMap<>(Map.of("JOB_COMPLETION_INDEX", "1"));
    c.getEnv().forEach(e -> podEnv.put(e.getName(), expand(e.getValue(), podEnv)));
    List<String> command = new ArrayList<>();
    c.getCommand().forEach(a -> command.add(expand(a, podEnv)));
    c.getArgs().forEach(a -> command.add(expand(a, podEnv)));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(podEnv);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(3, p.exitValue(), out);

    Path dir = work.resolve("runs").resolve(IDS.get(1));
    List<String> argv = out.lines().toList();
    assertEquals("-Dresearch.run.dir=" + dir, argv.get(0));
    assertEquals(command.subList(3 + 9, command.size()), argv.subList(1, argv.size()));
    assertEquals(out, Files.readString(dir.resolve("output.log")), "the console is also the run's output.log");
    assertEquals(profile(null).env().get("TRICKY"), Files.readString(bin.resolve("tricky.txt")));
    String record = Files.readString(dir.resolve("run.json"));
    assertTrue(record.contains("\"id\":\"" + IDS.get(1) + "\"") && record.contains(HOSTILE), record);
    assertFalse(Files.exists(work.resolve("runs").resolve(IDS.get(0))), "only the run of index 1");

    pb.environment().put("JOB_COMPLETION_INDEX", "7");
    p = pb.start();
    out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("no run folder for completion index 7"), out);
  }

  /** Kubernetes' expansion of a command, an argument or an environment value (its documented rules). */
  static String expand(String s, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
      } else if (s.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (s.charAt(i + 1) == '(') {
        int close = s.indexOf(')', i + 2);
        String name = close < 0 ? null : s.substring(i + 2, close);
        if (name != null && env.containsKey(name)) {
          out.append(env.get(name));
          i = close;
        } else {
          out.append(c);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Test
  void valuesStayLiteralThroughKubernetesExpansion() {
    Map<String, String> env = Map.of("HOME", "/root", "X", "1");
    for (String s : List.of("$(HOME)", "$$(HOME)", "$$", "a$", "$((i + 1))", "$(X)$(X)", "$", "plain", HOSTILE,
        "$$$(X)", KubernetesJobs.ENTRY_SCRIPT)) {
      assertEquals(s, expand(KubernetesJobs.literal(s), env), s);
    }
    assertEquals("/root", expand("$(HOME)", env), "the simulation expands");
  }

  @Test
  void memoryAndTimeLimitsInKubernetesUnits() {
    assertEquals("8Gi", KubernetesJobs.memory("8G"));
    assertEquals("512Mi", KubernetesJobs.memory("512m"));
    assertEquals("16000Mi", KubernetesJobs.memory("16000"));
    assertEquals(1800L, TimeLimits.seconds("30"));
    assertEquals(90L, TimeLimits.seconds("1:30"));
    assertEquals(7200L, TimeLimits.seconds("02:00:00"));
    assertEquals(86400L + 12 * 3600, TimeLimits.seconds("1-12"));
    assertEquals(86400L + 12 * 3600 + 30 * 60, TimeLimits.seconds("1-12:30"));
    assertEquals(2 * 86400L + 5, TimeLimits.seconds("2-00:00:05"));
    assertNull(TimeLimits.seconds(null));
  }

  @Test
  void withoutAClaimTheRunsGoToAnEmptyDir() throws Exception {
    LaunchProfile p = LaunchFixtures.kubernetes(new LaunchProfile.Kubernetes("img:1", null, null, null, null, null,
        null), null, null, null, null, null);
    Job job = KubernetesJobs.job(spec(p, "smoke", 1, 1));
    var pod = job.getSpec().getTemplate().getSpec();
    assertTrue(pod.getVolumes().get(0).getEmptyDir() != null);
    assertNull(pod.getContainers().get(0).getResources());
    assertNull(job.getMetadata().getNamespace());
    assertNull(job.getSpec().getActiveDeadlineSeconds());
  }
}
