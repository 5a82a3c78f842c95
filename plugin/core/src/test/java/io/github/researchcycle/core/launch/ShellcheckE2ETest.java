package io.github.researchcycle.core.launch;

import static io.github.researchcycle.core.launch.LaunchFixtures.HOSTILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.researchcycle.core.render.Templates;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.core.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rendered launch script passes {@code shellcheck} with no finding at all, rendered with an
 * experiment named {@code a b'c;$x}, hostile values in the command and the environment, and a
 * project folder with a space and a {@code $} in its path. Skipped, with the reason, where
 * shellcheck is not installed ({@code .ci/run} installs Debian's package).
 */
@Tag("e2e")
class ShellcheckE2ETest {
  static final String EVIL = "$(touch INJECTED) `id` \"q\" ; x";

  @TempDir Path tmp;

  @BeforeAll
  static void shellcheckIsThere() {
    assumeTrue(Programs.system().find("shellcheck").isPresent(),
        "shellcheck is not installed (Debian package shellcheck, which .ci/run installs): scripts not linted");
  }

  static void assertNoFindings(Path script, String shell) throws Exception {
    Programs.Result r = Programs.system().run(List.of("shellcheck", "--shell=" + shell, "--severity=style",
        script.toString()), null, Duration.ofSeconds(60));
    assertEquals(0, r.code(), script.getFileName() + ":\n" + r.stdout() + r.stderr() + "\n" + Files.readString(script));
    assertEquals("", r.stdout() + r.stderr());
  }

  @Test
  void theTpuVmScript() throws Exception {
    Path project = Files.createDirectories(tmp.resolve("my project $x"));
    RunStore store = LaunchFixtures.store(project);
    RunRecord run = LaunchFixtures.queued(store, "20261127-025120-123-k3f9x2ab", HOSTILE, 3, "tpu-vm");
    for (LaunchProfile.Tpu tpu : List.of(
        new LaunchProfile.Tpu("v4-8", "us-central2-b", "tpu-ubuntu2204-base", "my-proj",
            List.of("python3", "train_tpu.py", "--name", HOSTILE, EVIL), true),
        new LaunchProfile.Tpu("v5litepod-16", "us-west4-a", "v2-alpha-tpuv5-lite", null, List.of("python3", "t.py"),
            null))) {
      LaunchProfile profile = LaunchFixtures.tpu(tpu, null, Map.of("TRICKY", EVIL, "HOSTILE", HOSTILE));
      LaunchContext context = LaunchFixtures.context(project, store, "tpu $x", profile, Map.of(),
          new LaunchFixtures.Capture(), true, true, 1);
      Path script = Files.writeString(tmp.resolve("tpu-" + tpu.type() + ".sh"), TpuVmLauncher.script(context, run));
      assertNoFindings(script, "bash");
    }
  }

  @Test
  void theLocalLaunchScript() throws Exception {
    Map<String, String> env = new TreeMap<>(Map.of("TRICKY", EVIL, "OMP_NUM_THREADS", "4"));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("runId", "20261127-025120-123-k3f9x2ab");
    v.put("experiment", HOSTILE + "\nrm -rf /");
    v.put("seed", 3L);
    v.put("profile", "local");
    v.put("pluginVersion", "0.1.0-SNAPSHOT");
    v.put("workDir", tmp.resolve("my project $x").toString());
    v.put("envNames", List.copyOf(env.keySet()));
    v.put("env", env);
    v.put("command", List.of("/opt/java 17/bin/java", "-Xmx1g", "-Dresearch.run.dir=/tmp/my project/runs/x", "-cp",
        "/tmp/my project/target/classes", "org.example.Train", HOSTILE, EVIL));
    Path script = Files.writeString(tmp.resolve("launch.sh"), new Templates(null).render("launch/local.sh.vm", v));
    assertNoFindings(script, "sh");
  }

  @Test
  void theKubernetesEntryScript() throws Exception {
    Path script = Files.writeString(tmp.resolve("entry.sh"), KubernetesJobs.ENTRY_SCRIPT);
    assertNoFindings(script, "sh");
  }
}
