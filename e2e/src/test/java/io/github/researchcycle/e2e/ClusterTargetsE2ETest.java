package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectFailure;
import static io.github.researchcycle.e2e.ResearchProject.expectOutput;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.researchcycle.core.launch.KubernetesJobs;
import io.github.researchcycle.core.launch.Programs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated repository's kubernetes and tpu profiles, as they come, through real Maven with
 * an experiment named {@code a b'c;$x}: dry runs write a Job manifest and TPU VM scripts that hold
 * up (the manifest through the typed model's strict reading, the script through shellcheck when
 * it is installed); a real launch without a cluster or a cloud account stops with one message that
 * names the dry run, before any run folder exists.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTargetsE2ETest {
  static final String NAME = "a b'c;$x";

  @TempDir
  static Path tmp;

  static ResearchProject project;

  @BeforeAll
  static void generate() {
    project = ResearchProject.generateCommitted(tmp, "Cluster targets");
    project.write("experiments/" + NAME + ".yaml", "extends: smoke\ndescription: 'a name made to break scripts'\n");
    project.commitAll("A hostile experiment name");
    expectSuccess(project.mvn("research:run"));
  }

  static boolean answers(List<String> command) {
    try {
      return Programs.system().find(command.get(0)).isPresent()
          && Programs.system().run(command, null, Duration.ofSeconds(60)).ok();
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  @Order(1)
  @DisplayName("1. kubernetes, dry run: an Indexed Job manifest in each run folder, records queued")
  void kubernetesDryRun() throws Exception {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.experiment=" + NAME, "-Dresearch.profile=kubernetes",
        "-Dresearch.dryRun=true", "-Dresearch.seeds=2");
    expectSuccess(r);
    expectOutput(r, "nothing was submitted and the records stay queued");
    List<String> ids = project.newRuns(before);
    assertEquals(2, ids.size(), r.describe());
    for (String id : ids) {
      assertEquals("queued", project.record(id).path("status").asText());
      assertEquals(NAME, project.record(id).path("experiment").asText());
      Job job = KubernetesJobs.readStrict(Files.readString(project.run(id).resolve("job.yaml")));
      assertEquals("Indexed", job.getSpec().getCompletionMode());
      assertTrue(job.getMetadata().getName().matches("a-b-c-x-[a-z0-9-]+"), job.getMetadata().getName());
      assertEquals(NAME, job.getMetadata().getAnnotations().get(KubernetesJobs.EXPERIMENT_ANNOTATION));
    }
  }

  @Test
  @Order(2)
  @DisplayName("2. tpu, dry run: tpu.sh per run, records queued, shellcheck finds nothing")
  void tpuDryRun() throws Exception {
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.experiment=" + NAME, "-Dresearch.profile=tpu",
        "-Dresearch.dryRun=true");
    expectSuccess(r);
    String id = project.onlyNewRun(before, r);
    expectOutput(r, "bash runs/" + id + "/tpu.sh");
    assertEquals("queued", project.record(id).path("status").asText());
    Path script = project.run(id).resolve("tpu.sh");
    expectSuccess(Cmd.run(project.dir, List.of("bash", "-n", script.toString())));
    if (Programs.system().find("shellcheck").isPresent()) {
      expectSuccess(Cmd.run(project.dir, List.of("shellcheck", "--shell=bash", script.toString())));
    }
    assertFalse(Files.exists(project.dir.resolve("x")), "nothing ran from the name");
  }

  @Test
  @Order(3)
  @DisplayName("3. kubernetes without a cluster: one message naming the dry run, no run folder")
  void kubernetesWithoutACluster() {
    if (answers(List.of("kubectl", "version", "--request-timeout=10s"))) {
      return; // a real cluster answers here: submitting to it is no test
    }
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.experiment=" + NAME, "-Dresearch.profile=kubernetes");
    expectFailure(r);
    expectOutput(r, "launch/kubernetes.yaml: target kubernetes");
    expectOutput(r, "-Dresearch.dryRun=true");
    assertFalse(r.output().contains("\tat "), "no stack trace\n" + r.describe());
    assertEquals(List.of(), project.newRuns(before));
  }

  @Test
  @Order(4)
  @DisplayName("4. tpu without a cloud account: refused, or without gcloud the script only")
  void tpuWithoutAnAccount() {
    if (answers(List.of("gcloud", "auth", "print-access-token"))) {
      return; // a real account here would create a VM
    }
    Set<String> before = project.runIds();
    Cmd.Result r = project.mvn("research:run", "-Dresearch.experiment=" + NAME, "-Dresearch.profile=tpu");
    if (Programs.system().find("gcloud").isPresent()) {
      expectFailure(r);
      expectOutput(r, "gcloud auth login");
      expectOutput(r, "-Dresearch.dryRun=true");
      assertEquals(List.of(), project.newRuns(before));
    } else {
      expectSuccess(r);
      expectOutput(r, "gcloud is not installed here");
      assertEquals("queued", project.record(project.onlyNewRun(before, r)).path("status").asText());
    }
  }
}
