package io.github.researchcycle.core.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.researchcycle.core.launch.LaunchContext;
import io.github.researchcycle.core.launch.LaunchProfile;
import io.github.researchcycle.core.launch.Programs;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.core.store.RunStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch script rendered from {@code launch/slurm.sbatch.vm}: compared with golden files (one
 * run; an array of three), accepted by {@code bash -n}, and run for real with a stand-in for java
 * to prove that every task gets its own folder and that hostile text stays one literal word.
 *
 * <p>To regenerate the golden files after an intended template change, run the tests with
 * {@code -Dgolden.update=true} and review the diff.
 */
class SlurmScriptTest {
  static final Path BASH = Path.of("/bin/bash");
  static final String HOSTILE = "a b'c;$x";
  static final String ENV_VALUE = "p$HOME \"q\" 'r' `id` \\n";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T02:51:20Z"), ZoneOffset.UTC);
  static final List<String> IDS = List.of("20261127-025120-123-k3f9x2ab", "20261127-025120-124-m1r5v8qy",
      "20261127-025120-125-x2k7d3js");

  @TempDir Path tmp;

  static LaunchProfile profile() {
    Map<String, String> env = new TreeMap<>(Map.of("OMP_NUM_THREADS", "2", "TRICKY", ENV_VALUE));
    return new LaunchProfile("cluster", "slurm", "gpu:2", null, null, "4g", "8G", "02:00:00", 4, 2, null, env,
        new LaunchProfile.Slurm("gpu", "lab", "normal", "a100|h100", "a100", List.of("--exclusive",
            "--mail-type=END")), null, null);
  }

  static LaunchContext context(Path project, LaunchProfile profile, int parallel) {
    RunStore store = new RunStore(project.resolve("runs"), CLOCK, new RunIds(CLOCK, new SecureRandom()),
        ProcessProbe.system());
    return new LaunchContext(project, store, "slurm", profile, List.of(), Map.of(), false, QUIET, "0.1.0-SNAPSHOT",
        true, false, parallel, CLOCK);
  }

  static RunRecord run(String id, String experiment, long seed) {
    return new RunRecord(RunRecord.SCHEMA, id, experiment, "slurm", RunStatus.QUEUED, null, CLOCK.instant(), null,
        null, null, "login1", null, null, false, null, null, null, null, "org.example.Train", seed, null, null,
        new RunRecord.Launcher("slurm", null, "4g", null), null, null, null,
        seed == 3 ? new RunRecord.Sweep("lr", "optimizer.lr=0.1,0.01", Map.of("optimizer.lr", "0.01")) : null);
  }

  static List<String> shape(String... extra) {
    List<String> cmd = new ArrayList<>(List.of("/opt/java 17/bin/java", "-Xmx4g",
        "-D" + LaunchContext.RUN_DIR_PROPERTY + "=" + SlurmScript.RUN_DIR, "-cp", "/w d/target/classes:/repo/a.jar",
        "org.example.Train"));
    cmd.addAll(List.of(extra));
    return cmd;
  }

  @Test
  void arrayMatchesTheGoldenFile() throws IOException {
    List<RunRecord> runs = List.of(run(IDS.get(0), HOSTILE, 1), run(IDS.get(1), HOSTILE, 2),
        run(IDS.get(2), HOSTILE, 3));
    String script = SlurmScript.render(context(Path.of("/w d"), profile(), 2), runs, shape(HOSTILE));
    golden("launch-slurm-array.sbatch", script);
    assertTrue(script.contains("#SBATCH --job-name=a_b_c__x\n"), script);
    assertTrue(script.contains("#SBATCH --array=0-2%2\n"), script);
    assertTrue(script.contains("#SBATCH --gres=gpu:a100:2\n"), script);
  }

  @Test
  void singleRunMatchesTheGoldenFile() throws IOException {
    LaunchProfile plain = new LaunchProfile(null, "slurm", null, null, null, null, null, null, null, null, null, null,
        null, null, null);
    String script = SlurmScript.render(context(Path.of("/w"), plain, 1), List.of(run(IDS.get(0), "smoke", 1)),
        shape());
    golden("launch-slurm-single.sbatch", script);
    assertFalse(script.contains("--array"), script);
    assertTrue(script.contains("#SBATCH --output=output.log\n"), script);
  }

  @Test
  void jobNamesArePlain() {
    assertEquals("a_b_c__x", SlurmScript.jobName(HOSTILE));
    assertEquals("smoke-2.v1", SlurmScript.jobName("smoke-2.v1"));
    assertEquals("research", SlurmScript.jobName("$;'"));
    assertEquals("research", SlurmScript.jobName(""));
    assertEquals(64, SlurmScript.jobName("x".repeat(100)).length());
    assertEquals("x_rm_-rf___", SlurmScript.jobName("x\nrm -rf /;"));
  }

  @Test
  void directivesFollowTheProfile() {
    assertEquals(List.of("--array=0-3%2", "--time=02:00:00", "--mem=8G", "--cpus-per-task=4", "--gres=gpu:a100:2",
        "--partition=gpu", "--account=lab", "--qos=normal", "--constraint=a100|h100", "--exclusive", "--mail-type=END"),
        SlurmScript.directives(profile(), 4, 2));
    LaunchProfile oneGpu = new LaunchProfile(null, "slurm", "gpu", null, null, null, null, "30", null, null, null,
        null, null, null, null);
    assertEquals(List.of("--time=30", "--gres=gpu:1"), SlurmScript.directives(oneGpu, 1, 1));
  }

  @Test
  void isValidBashEvenWithAHostileName() throws Exception {
    assumeTrue(Files.isExecutable(BASH), "no /bin/bash");
    List<RunRecord> runs = List.of(run(IDS.get(0), HOSTILE + "\nrm -rf /;'\"", 1), run(IDS.get(1), HOSTILE, 2));
    String script = SlurmScript.render(context(tmp.resolve("p $x'q"), profile(), 1), runs, shape(HOSTILE));
    Path file = Files.writeString(tmp.resolve(SlurmScript.FILE), script);
    Result r = run(List.of(BASH.toString(), "-n", file.toString()), tmp, Map.of());
    assertEquals(0, r.code, r.output + "\n" + script);
    for (String line : script.lines().toList()) {
      if (line.startsWith("#SBATCH --job-name=")) {
        assertTrue(line.matches("#SBATCH --job-name=[A-Za-z0-9_.-]+"), line);
      }
    }
  }

  @Test
  void shellcheckFindsNothing() throws Exception {
    assumeTrue(Programs.system().find("shellcheck").isPresent(),
        "shellcheck is not installed (Debian package shellcheck, which .ci/run installs): script not linted");
    List<RunRecord> runs = List.of(run(IDS.get(0), HOSTILE, 1), run(IDS.get(1), HOSTILE, 2));
    for (List<RunRecord> job : List.of(runs, runs.subList(0, 1))) {
      String script = SlurmScript.render(context(tmp.resolve("my project $x"), profile(), 2), job,
          shape(HOSTILE, "$(touch INJECTED) `id` \"q\" ; x"));
      Path file = Files.writeString(tmp.resolve(SlurmScript.FILE), script);
      Programs.Result r = Programs.system().run(List.of("shellcheck", "--shell=bash", "--severity=style",
          file.toString()), null, Duration.ofSeconds(60));
      assertEquals("", r.stdout() + r.stderr(), script);
      assertEquals(0, r.code());
    }
  }

  @Test
  void eachTaskRunsTheCommandInItsOwnFolderWithItsWordsIntact() throws Exception {
    assumeTrue(Files.isExecutable(BASH), "no /bin/bash");
    Path project = Files.createDirectories(tmp.resolve("w d $x'y;z"));
    LaunchContext context = context(project, profile(), 3);
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(run(IDS.get(i), HOSTILE, i + 1));
      Files.createDirectories(context.dir(runs.get(i)));
    }
    // A stand-in for java: prints each argument on its own line, the run folder and the tricky variable.
    Path fakeJava = Files.writeString(tmp.resolve("fake java"),
        "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\nprintf 'pwd=%s\\nTRICKY=%s\\n' \"$(pwd)\" "
            + "\"$TRICKY\"\nexit 3\n");
    assertTrue(fakeJava.toFile().setExecutable(true));
    List<String> shape = List.of(fakeJava.toString(), "-Dresearch.run.dir=" + SlurmScript.RUN_DIR, HOSTILE, "",
        "two  spaces", "*", "$(touch INJECTED)", "pre" + SlurmScript.RUN_DIR + "post");
    Path script = Files.writeString(context.dir(runs.get(0)).resolve(SlurmScript.FILE),
        SlurmScript.render(context, runs, shape));

    Result r = run(List.of(BASH.toString(), script.toString()), context.dir(runs.get(0)),
        Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_JOB_ID", "77"));

    assertEquals(3, r.code, r.output);
    Path dir = context.dir(runs.get(1)).toAbsolutePath();
    String log = Files.readString(dir.resolve("output.log"));
    assertEquals("<-Dresearch.run.dir=" + dir + ">\n<" + HOSTILE + ">\n<>\n<two  spaces>\n<*>\n<$(touch INJECTED)>\n"
        + "<pre" + dir + "post>\npwd=" + project.toRealPath() + "\nTRICKY=" + ENV_VALUE + "\n", log);
    assertEquals("3", Files.readString(dir.resolve(SlurmScript.EXIT_CODE)).strip());
    assertEquals("77", Files.readString(dir.resolve(SlurmScript.JOB_ID)).strip());
    assertFalse(Files.exists(context.dir(runs.get(0)).resolve("output.log")), "task 0's folder untouched");
    try (var files = Files.walk(tmp)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().equals("INJECTED")), "nothing injected");
    }

    // Without an array task id (a single run), the script uses the first folder.
    r = run(List.of(BASH.toString(), script.toString()), context.dir(runs.get(0)), Map.of());
    assertEquals(3, r.code, r.output);
    assertTrue(Files.readString(context.dir(runs.get(0)).resolve("output.log"))
        .startsWith("<-Dresearch.run.dir=" + context.dir(runs.get(0)).toAbsolutePath() + ">\n"));
  }

  void golden(String name, String rendered) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Path golden = Path.of("src/test/resources/golden", name);
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, rendered, StandardCharsets.UTF_8);
    }
    try (InputStream in = getClass().getResourceAsStream("/golden/" + name)) {
      assertNotNull(in, "golden/" + name + " on the test classpath (render it with -Dgolden.update=true)");
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), rendered);
    }
  }

  record Result(int code, String output) {}

  static Result run(List<String> command, Path dir, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("SLURM_ARRAY_TASK_ID");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the script ended");
    return new Result(p.exitValue(), out);
  }

  static final Reporter QUIET = new Reporter() {
    @Override
    public void info(String line) {}

    @Override
    public void warn(String line) {}

    @Override
    public OutputStream console() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public boolean terminal() {
      return false;
    }
  };
}
