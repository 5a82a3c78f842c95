package io.github.researchcycle.core.launch;

import static io.github.researchcycle.core.launch.LaunchFixtures.HOSTILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.core.store.RunStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tpu-vm target: its script against a golden file, and run for real against a fake
 * {@code gcloud} that logs every argument on a line of its own and plays the VM in a local folder
 * (its {@code ssh} runs the command with {@code sh -c}, as the VM's login shell would), so that
 * every value is seen to arrive intact and nothing is injected, at either end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TpuVmLauncherTest {
  static final String RUN_ID = "20261127-025120-123-k3f9x2ab";
  /** Text that would run a command if it were ever evaluated by a shell. */
  static final String INJECTION = "$(touch INJECTED) `touch INJECTED` ; touch INJECTED #";

  static final String FAKE_GCLOUD = String.join("\n",
      "#!/usr/bin/env bash",
      "here=\"$(cd \"$(dirname \"$0\")\" && pwd)\"",
      "state=\"$here/state\"",
      "vm=\"$here/vm\"",
      "{ echo '---'; for a in \"$@\"; do printf '%s\\n' \"$a\"; done; } >> \"$state/calls.log\"",
      "if [ \"$1\" = auth ]; then cat \"$state/account\" 2>/dev/null; exit 0; fi",
      "verb=$4",
      "shift 4",
      "positional=()",
      "command=''",
      "for a in \"$@\"; do",
      "  case \"$a\" in",
      "    --command=*) command=${a#--command=} ;;",
      "    --*) ;;",
      "    *) positional+=(\"$a\") ;;",
      "  esac",
      "done",
      "local_path() { case \"$1\" in *:*) printf '%s' \"$vm/${1#*:}\" ;; *) printf '%s' \"$1\" ;; esac; }",
      "case \"$verb\" in",
      "  create) [ -f \"$state/fail-create\" ] && { echo 'ERROR: quota exceeded' >&2; exit 1; }",
      "    mkdir -p \"$vm\" && touch \"$state/vm-${positional[0]}\" ;;",
      "  delete) rm -f \"$state/vm-${positional[0]}\" ;;",
      "  ssh) cd \"$vm\" && exec sh -c \"$command\" ;;",
      "  scp) dest=${positional[${#positional[@]}-1]}",
      "    unset 'positional[${#positional[@]}-1]'",
      "    for src in \"${positional[@]}\"; do cp -R \"$(local_path \"$src\")\" \"$(local_path \"$dest\")\" || exit 1; done ;;",
      "  *) echo \"unexpected: $verb\" >&2; exit 9 ;;",
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
    project = Files.createDirectories(tmp.resolve("my project $x"));
    Files.writeString(project.resolve("train_tpu.py"), "print('the researcher program')\n");
    Files.createDirectories(project.resolve("target/classes"));
    Files.writeString(project.resolve("target/big.jar"), "not copied");
    bin = Files.createDirectories(tmp.resolve("bin"));
    state = Files.createDirectories(bin.resolve("state"));
    Path gcloud = Files.writeString(bin.resolve("gcloud"), FAKE_GCLOUD);
    gcloud.toFile().setExecutable(true);
    store = LaunchFixtures.store(project);
    reporter = new LaunchFixtures.Capture();
  }

  static LaunchProfile.Tpu tpu(List<String> command) {
    return new LaunchProfile.Tpu("v4-8", "us-central2-b", "tpu-ubuntu2204-base", "my-proj", command, true);
  }

  static LaunchProfile profile(List<String> command) {
    return LaunchFixtures.tpu(tpu(command), new LaunchProfile.Batch(32, null),
        Map.of("XLA_FLAGS", "--xla_dump_to=/tmp/x y", "TRICKY", INJECTION));
  }

  LaunchContext context(LaunchProfile profile, boolean dryRun) {
    return LaunchFixtures.context(project, store, "tpu", profile, Map.of(), reporter, true, dryRun, 1);
  }

  TpuVmLauncher launcher(boolean withGcloud) {
    // Without gcloud nothing is run, so an empty search path will do (this machine may have a real gcloud).
    return new TpuVmLauncher(Programs.onPath(withGcloud ? bin + ":" + System.getenv("PATH") : tmp.resolve("empty").toString()));
  }

  List<String> calls() throws IOException {
    Path log = state.resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** Each gcloud call's arguments, one list per call. */
  List<List<String>> gcloudCalls() throws IOException {
    List<List<String>> out = new ArrayList<>();
    for (String line : calls()) {
      if (line.equals("---")) {
        out.add(new ArrayList<>());
      } else {
        out.get(out.size() - 1).add(line);
      }
    }
    return out;
  }

  @Test
  void theScriptMatchesTheGoldenFile() throws Exception {
    LaunchProfile p = profile(List.of("python3", "train_tpu.py", "--name", HOSTILE));
    RunRecord run = LaunchFixtures.queued(store, RUN_ID, HOSTILE, 3, "tpu-vm");
    LaunchContext c = LaunchFixtures.context(Path.of("/home/me/my project"), store, "tpu", p, Map.of(), reporter, true,
        true, 1);
    String script = TpuVmLauncher.script(c, run).replace(store.dir(RUN_ID).toAbsolutePath().toString(),
        "/home/me/my project/runs/" + RUN_ID);
    Golden.assertGolden("tpu.sh", script);
    assertTrue(script.contains("VM=rc-a-b-c-x-" + RUN_ID + "\n"), script);
  }

  @Test
  void aDryRunWritesTheScriptAndStartsNothing() throws Exception {
    RunRecord run = LaunchFixtures.queued(store, RUN_ID, HOSTILE, 3, "tpu-vm");
    RunRecord out = launcher(true).launch(context(profile(List.of("python3", "train_tpu.py")), true), List.of(run))
        .get(0);
    assertEquals(RunStatus.QUEUED, out.status());
    assertEquals(TpuVmLauncher.SCRIPT, out.launcher().script());
    assertNull(out.launcher().jobId(), "no VM yet");
    assertEquals(List.of("python3", "train_tpu.py"), out.launcher().command());
    assertTrue(Files.isRegularFile(store.dir(RUN_ID).resolve("tpu.sh")));
    assertEquals(List.of(), calls());
    assertTrue(reporter.all().contains("Dry run: wrote runs/" + RUN_ID + "/tpu.sh")
        && reporter.all().contains("bash runs/" + RUN_ID + "/tpu.sh"), reporter.all());

    RunRecord second = LaunchFixtures.queued(store, "20261127-025120-124-m1r5v8qy", "wide", 4, "tpu-vm");
    launcher(false).launch(context(profile(List.of("python3", "train_tpu.py")), false), List.of(second));
    assertTrue(reporter.all().contains("gcloud is not installed here: wrote runs/" + second.id()), reporter.all());
    assertEquals(RunStatus.QUEUED, store.read(second.id()).status());
  }

  @Test
  void theCheckWantsAnAccountUnlessDryRunOrNoGcloud() throws Exception {
    LaunchProfile p = profile(List.of("true"));
    ResearchException e = assertThrows(ResearchException.class, () -> launcher(true).check("tpu", p, false));
    assertTrue(e.getMessage().contains("launch/tpu.yaml") && e.getMessage().contains("gcloud auth login")
        && e.getMessage().contains("-Dresearch.dryRun=true"), e.getMessage());
    launcher(true).check("tpu", p, true);
    launcher(false).check("tpu", p, false);
    Files.writeString(state.resolve("account"), "me@example.org\n");
    launcher(true).check("tpu", p, false);
  }

  @Test
  void aRunCreatesCopiesRunsFetchesAndDeletesWithEveryArgumentIntact() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isExecutable(Path.of("/bin/tar")), "bash and tar");
    String program = "printf '{\"step\":1,\"epoch\":0,\"name\":\"loss\",\"value\":0.25,\"time\":1}\\n' "
        + "> \"$RESEARCH_RUN_DIR/metrics.jsonl\"; printf '[%s]\\n' \"$RESEARCH_EXPERIMENT\" \"$RESEARCH_GLOBAL_BATCH\" "
        + "\"$RESEARCH_BATCH_PER_CORE\" \"$RESEARCH_TPU_CORES\" \"$RESEARCH_SEED\" \"$TRICKY\" \"$XLA_FLAGS\" \"$1\" "
        + "\"$(pwd)\"; test -f \"$RESEARCH_CONFIG\"; test ! -e runs/20261127-025120-100-aaaaaaaa; test ! -e target";
    Files.createDirectories(store.dir("20261127-025120-100-aaaaaaaa"));
    Files.writeString(store.dir("20261127-025120-100-aaaaaaaa").resolve("metrics.jsonl"), "not copied\n");
    RunRecord run = LaunchFixtures.queued(store, RUN_ID, HOSTILE, 3, "tpu-vm");
    LaunchProfile p = profile(List.of("sh", "-c", program, "program", INJECTION));

    RunRecord done = launcher(true).launch(context(p, false), List.of(run)).get(0);

    assertEquals(RunStatus.FINISHED, done.status(), done.reason() + "\n" + reporter.all() + "\n" + calls());
    assertEquals(0.25, done.finalMetrics().get("loss"), "metrics fetched from the VM");
    assertEquals("deleted", done.launcher().schedulerState());
    assertEquals("rc-a-b-c-x-" + RUN_ID, done.launcher().jobId());
    assertEquals(done, store.read(RUN_ID));
    String vm = "rc-a-b-c-x-" + RUN_ID;
    Path vmHome = bin.resolve("vm");
    assertEquals(List.of("[" + HOSTILE + "]", "[128]", "[32]", "[4]", "[3]", "[" + INJECTION + "]",
        "[--xla_dump_to=/tmp/x y]", "[" + INJECTION + "]", "[" + vmHome.resolve("research-project").toRealPath() + "]"),
        Files.readAllLines(store.dir(RUN_ID).resolve("output.log")));
    assertFalse(Files.exists(state.resolve("vm-" + vm)), "the VM is deleted");
    assertNoInjection();

    List<List<String>> calls = gcloudCalls();
    assertEquals(List.of("compute", "tpus", "tpu-vm", "create", vm, "--accelerator-type=v4-8",
        "--version=tpu-ubuntu2204-base", "--spot", "--zone=us-central2-b", "--project=my-proj"), calls.get(0));
    assertEquals("scp", calls.get(1).get(3));
    assertTrue(calls.get(1).contains(vm + ":") && calls.get(1).contains("--worker=0"), calls.get(1).toString());
    assertEquals("ssh", calls.get(2).get(3));
    assertEquals("ssh", calls.get(3).get(3));
    assertTrue(calls.get(3).stream().anyMatch(a -> a.startsWith("--command=cd research-project && export")),
        calls.get(3).toString());
    assertEquals(List.of("compute", "tpus", "tpu-vm", "scp", "--recurse", vm + ":research-project/runs/" + RUN_ID),
        calls.get(4).subList(0, 6));
    assertEquals(List.of("compute", "tpus", "tpu-vm", "delete", vm, "--quiet", "--zone=us-central2-b",
        "--project=my-proj"), calls.get(5));
    assertEquals(6, calls.size());
  }

  @Test
  void aFailingProgramFailsTheRunAndTheVmIsStillDeleted() throws Exception {
    RunRecord run = LaunchFixtures.queued(store, RUN_ID, "wide", 3, "tpu-vm");
    RunRecord done = launcher(true).launch(context(profile(List.of("sh", "-c", "echo boom; exit 7")), false),
        List.of(run)).get(0);
    assertEquals(RunStatus.FAILED, done.status());
    assertEquals(7, done.exitCode());
    assertTrue(Files.readString(store.dir(RUN_ID).resolve("output.log")).contains("boom"));
    assertFalse(Files.exists(state.resolve("vm-rc-wide-" + RUN_ID)), "deleted after a failure");
  }

  @Test
  void aVmThatCannotBeCreatedFailsTheRunWithTheStepsLog() throws Exception {
    Files.writeString(state.resolve("fail-create"), "");
    RunRecord run = LaunchFixtures.queued(store, RUN_ID, "wide", 3, "tpu-vm");
    RunRecord done = launcher(true).launch(context(profile(List.of("true")), false), List.of(run)).get(0);
    assertEquals(RunStatus.FAILED, done.status());
    assertTrue(done.reason().contains("could not be created") && done.reason().contains("tpu.log"), done.reason());
    assertTrue(Files.readString(store.dir(RUN_ID).resolve("tpu.log")).contains("quota exceeded"));
    assertEquals("delete", gcloudCalls().get(gcloudCalls().size() - 1).get(3), "deleted anyway");
  }

  @Test
  void theWholeScriptByHandDeletesTheVmWhateverHappens() throws Exception {
    RunRecord run = LaunchFixtures.queued(store, RUN_ID, HOSTILE, 3, "tpu-vm");
    launcher(true).launch(context(profile(List.of("sh", "-c", "exit 5")), true), List.of(run));
    ProcessBuilder pb = new ProcessBuilder("bash", store.dir(RUN_ID).resolve("tpu.sh").toString())
        .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(5, p.exitValue(), out);
    assertFalse(Files.exists(state.resolve("vm-rc-a-b-c-x-" + RUN_ID)), out);
    assertEquals("delete", gcloudCalls().get(gcloudCalls().size() - 1).get(3));
    assertNoInjection();
  }

  @Test
  void theBatchFollowsTheCores() throws Exception {
    RunRecord run = LaunchFixtures.queued(store, RUN_ID, "wide", 3, "tpu-vm");
    LaunchProfile.Tpu t = tpu(List.of("true"));
    assertEquals(new TpuVmLauncher.Batch(512, 64),
        TpuVmLauncher.batch(LaunchFixtures.tpu(t, null, null), run, 8), "the experiment's training.batch per core");
    assertEquals(new TpuVmLauncher.Batch(96, 12),
        TpuVmLauncher.batch(LaunchFixtures.tpu(t, new LaunchProfile.Batch(null, 96), null), run, 8));
    assertEquals(new TpuVmLauncher.Batch(100, null),
        TpuVmLauncher.batch(LaunchFixtures.tpu(t, new LaunchProfile.Batch(null, 100), null), run, 8));
    assertEquals(new TpuVmLauncher.Batch(16 * 32, 16),
        TpuVmLauncher.batch(LaunchFixtures.tpu(t, new LaunchProfile.Batch(16, null), null), run, 32));
    RunRecord bare = new RunRecord(run.schema(), run.id(), run.experiment(), run.profile(), run.status(), null,
        run.started(), null, null, null, null, null, run.git(), false, null, null, null, null, null, 1, null, null,
        null, null, null, null, null);
    assertNull(TpuVmLauncher.batch(LaunchFixtures.tpu(t, null, null), bare, 8).global());
    Map<String, Object> v = TpuVmLauncher.values(context(LaunchFixtures.tpu(
        new LaunchProfile.Tpu("v4-32", "z", "r", null, List.of("true"), null), null, null), true), run);
    assertEquals("all", v.get("workers"), "a multi-host slice runs on every worker");
    assertEquals("", v.get("project"));
    assertEquals("", v.get("spot"));
  }

  void assertNoInjection() throws IOException {
    try (Stream<Path> files = Files.walk(tmp)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("INJECTED")).toList());
    }
  }
}
