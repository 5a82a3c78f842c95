package io.github.researchcycle.core.publish;

import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.CapturingReporter;
import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.core.verify.Verification;
import io.github.researchcycle.core.verify.VerifyService;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A complete research repository for the publish tests, in a real git repository: research.yaml
 * (an improve claim on validate_accuracy, maximize, margin 0.01, three seeds) committed first, then
 * run records written through {@link RunStore#write} that record that commit (a smoke run, three
 * seeds of baseline and of method, one failed method run), per-epoch metrics.jsonl files, a
 * verification.json for the newest method run, committed second. README.md has the results markers
 * around a placeholder, so the first publish finds its table stale.
 */
final class PublishFixture {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final String NAME = "study";
  static final String METRIC = "validate_accuracy";
  static final int EPOCHS = 5;
  static final double[] BASELINE = {0.80, 0.81, 0.79};
  static final double[] BETTER = {0.85, 0.86, 0.84};
  static final double[] WORSE = {0.75, 0.76, 0.74};

  static final String RESEARCH_YAML = String.join("\n",
      "title: Longer training on tiny digits",
      "paper:",
      "  citation: 'A. Author. Training longer helps. Journal of Tests, 2026.'",
      "  hasCode: true",
      "question: Does training for five epochs raise validation accuracy?",
      "hypothesis: Five epochs beat the baseline by at least 0.01 accuracy.",
      "metric:",
      "  name: validate_accuracy",
      "  goal: maximize",
      "baseline: baseline",
      "method: method",
      "claim:",
      "  type: improve",
      "  margin: 0.01",
      "  statement: The method improves validation accuracy by at least 0.01.",
      "seeds: 3",
      "");

  static final String README = String.join("\n",
      "# Longer training on tiny digits",
      "",
      "## Results",
      "",
      PublishService.START,
      "_Not published yet._",
      PublishService.END,
      "",
      "## Reproduce",
      "",
      "mvn research:reproduce",
      "");

  /** The repository's own article: a preface, then the default article of research-templates. */
  static final String POST_VM = "Preface written by the researcher.\n\n#parse(\"writeup/post.md.vm\")\n";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

  final Path root;
  final Git git;
  final RunStore store;
  final RecordingReporter reporter = new RecordingReporter();
  /** The commit that holds the pre-registered research.yaml; every run records it. */
  RevCommit registered;
  RunRecord smoke;
  RunRecord failed;
  final List<RunRecord> baselineRuns = new ArrayList<>();
  final List<RunRecord> methodRuns = new ArrayList<>();
  /** The run with verification.json, or null. */
  RunRecord verified;
  private int commits;
  private int ids;

  private PublishFixture(Path root, Git git) {
    this.root = root;
    this.git = git;
    this.store = RunService.system().store(root);
  }

  /** What the repository holds. */
  static final class Spec {
    double[] baseline = BASELINE;
    double[] method = BETTER;
    /** true: a passing verification.json; false: a failing one; null: none. */
    Boolean verification = true;
    boolean ownPost = true;
    /** Null: the research folder is the work tree's root; else its path inside a larger repository. */
    String subfolder;

    /** More files of the pre-registered commit (path to text). */
    final Map<String, String> files = new java.util.TreeMap<>();

    Spec file(String path, String text) {
      files.put(path, text);
      return this;
    }

    Spec subfolder(String path) {
      subfolder = path;
      return this;
    }

    Spec baseline(double... values) {
      baseline = values;
      return this;
    }

    Spec method(double... values) {
      method = values;
      return this;
    }

    Spec verification(Boolean passed) {
      verification = passed;
      return this;
    }

    Spec ownPost(boolean own) {
      ownPost = own;
      return this;
    }
  }

  static Spec spec() {
    return new Spec();
  }

  /** The default repository (a positive result) in {@code parent}/study. */
  static PublishFixture create(Path parent) throws Exception {
    return create(parent, spec());
  }

  static PublishFixture create(Path parent, Spec spec) throws Exception {
    Path root = spec.subfolder == null ? parent.resolve(NAME) : parent.resolve("monorepo").resolve(spec.subfolder);
    Files.createDirectories(root);
    Git git = init(spec.subfolder == null ? root : parent.resolve("monorepo"));
    StoredConfig config = git.getRepository().getConfig();
    config.setString("user", null, "name", "Test Author");
    config.setString("user", null, "email", "author@example.com");
    config.save();
    PublishFixture f = new PublishFixture(root, git);

    write(root, "research.yaml", RESEARCH_YAML);
    write(root, "README.md", README);
    write(root, ".gitignore", "target/\nruns/**/artifacts/\nruns/**/output.log\n"); // as the archetype's
    write(root, "src/main/java/org/example/Train.java", "package org.example;\n\npublic class Train {}\n");
    write(root, "writeup/journal.md", "# Journal\n\n2026-03-02: pre-registered the claim.\n");
    if (spec.ownPost) {
      write(root, "writeup/post.md.vm", POST_VM);
    }
    for (Map.Entry<String, String> e : spec.files.entrySet()) {
      write(root, e.getKey(), e.getValue());
    }
    f.registered = f.commit("Pre-register the claim");

    Instant t = T0.plus(Duration.ofMinutes(10));
    f.smoke = f.run("smoke", 1, 0.42, RunStatus.FINISHED, t);
    t = T0.plus(Duration.ofMinutes(30));
    for (int i = 0; i < spec.baseline.length; i++) {
      f.baselineRuns.add(f.run("baseline", i + 1, spec.baseline[i], RunStatus.FINISHED, t));
      t = t.plus(Duration.ofMinutes(7));
    }
    for (int i = 0; i < spec.method.length; i++) {
      f.methodRuns.add(f.run("method", i + 1, spec.method[i], RunStatus.FINISHED, t));
      t = t.plus(Duration.ofMinutes(7));
    }
    f.failed = f.run("method", 4, Double.NaN, RunStatus.FAILED, t);
    if (spec.verification != null && !f.methodRuns.isEmpty()) {
      f.verify(f.methodRuns.get(f.methodRuns.size() - 1), spec.verification);
    }
    f.commit("Run records");
    return f;
  }

  /** Writes one run's record, metrics.jsonl and console; NaN as value: a failed run that logged two epochs. */
  RunRecord run(String experiment, long seed, double value, RunStatus status, Instant started) throws IOException {
    String id = STAMP.format(started) + "-" + String.format(Locale.ROOT, "t%07d", ++ids);
    assertTrue(RunIds.isValid(id), id);
    Path dir = store.dir(id);
    Files.createDirectories(dir.resolve(RunStore.ARTIFACTS));
    boolean finished = status == RunStatus.FINISHED;
    int epochs = finished ? EPOCHS : 2;
    double last = finished ? value : 0.61;
    StringBuilder metrics = new StringBuilder();
    long time = started.toEpochMilli();
    for (int e = 0; e < epochs; e++) {
      double accuracy = e == epochs - 1 ? last : last - 0.04 * (epochs - 1 - e) - 0.001 * seed;
      double loss = 1.2 / (e + 1) + 0.01 * seed;
      metrics.append(line(100L * (e + 1), e, "loss", loss, time += 1000));
      metrics.append(line(e, e, METRIC, accuracy, time += 1000));
    }
    Files.writeString(dir.resolve(RunStore.METRICS), metrics, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(RunStore.OUTPUT_LOG), "training " + experiment + " seed " + seed + "\n",
        StandardCharsets.UTF_8);

    ObjectNode config = Json.mapper().createObjectNode();
    config.put("epochs", experiment.equals("method") ? 5 : experiment.equals("smoke") ? 1 : 3);
    config.put("batchSize", 32);
    config.putObject("optimizer").put("lr", 0.001);
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("java", "17.0.12");
    environment.put("javaVendor", "Eclipse Adoptium");
    environment.put("engine", "PyTorch");
    environment.put("engineVersion", "2.5.1");
    environment.put("djl", "0.31.0");
    environment.put("os", "Linux");
    environment.put("arch", "amd64");
    environment.put("cpus", 8);
    environment.put("maxHeapBytes", 4294967296L);
    environment.put("devices", List.of("cpu()"));
    Duration took = Duration.ofMinutes(experiment.equals("smoke") ? 0 : 5).plusSeconds(12);
    Map<String, Double> finals = new LinkedHashMap<>();
    finals.put("loss", 1.2 / epochs + 0.01 * seed);
    finals.put(METRIC, last);
    RunRecord record = new RunRecord(RunRecord.SCHEMA, id, experiment, "local", status,
        finished ? null : "the training process exited with code 1 (java.lang.OutOfMemoryError)", started,
        started.plus(took), took.toMillis() / 1000.0, finished ? 0 : 1, "testhost", 4242L,
        new GitProvenance(registered.name(), "main", true, null, List.of(), ""), false, config,
        "sha256:" + experiment + "-config", List.of("experiments/" + experiment + ".yaml"), List.of(),
        "org.example.Train", seed, environment, Map.of("digits", "sha256:data"),
        new RunRecord.Launcher("local", List.of("java", "-Xmx2g", "org.example.Train"), "2g", null), List.of(),
        finals, null, null);
    store.write(record);
    return record;
  }

  private static String line(long step, int epoch, String name, double value, long time) {
    return "{\"step\":" + step + ",\"epoch\":" + epoch + ",\"name\":\"" + name + "\",\"value\":" + value
        + ",\"time\":" + time + "}\n";
  }

  /** Writes runs/ID/verification.json for {@code run}. */
  void verify(RunRecord run, boolean passed) throws IOException {
    double v = run.finalMetrics().get(METRIC);
    Verification verification = new Verification(run.id(), T0.plus(Duration.ofHours(3)), registered.name(), 0.0,
        passed, passed, List.of(new Verification.MetricCheck(METRIC, v, passed ? v : v - 0.1, passed ? 0.0 : -0.1,
            passed)), "verify/20260302-120000", Map.of("java", "17.0.12"));
    Json.writeAtomically(store.dir(run.id()).resolve(VerifyService.FILE), verification);
    verified = run;
  }

  /** Stages everything and commits it; commits are an hour apart from T0 on. */
  RevCommit commit(String message) throws Exception {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent who = new PersonIdent("Test Author", "author@example.com", T0.plus(Duration.ofHours(commits++)),
        ZoneOffset.UTC);
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  PublishService service() {
    return new PublishService(RunService.system(), Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
  }

  Publication publish(boolean updateReadme) throws IOException {
    return service().publish(new PublishRequest(root, updateReadme, null, "0.1.0-test"), reporter);
  }

  /** The README dance: rewrite its table (refused), commit it, publish. */
  Publication publishReady() throws Exception {
    makeReady();
    return publish(false);
  }

  /** Rewrites the README's results table through publish (which refuses) and commits it. */
  void makeReady() throws Exception {
    GateException e = assertThrows(GateException.class, () -> publish(true));
    assertTrue(e.getMessage().contains("rewritten"), e.getMessage());
    String readme = git.getRepository().getWorkTree().toPath().relativize(root.resolve("README.md")).toString()
        .replace('\\', '/');
    assertTrue(git.status().call().getModified().contains(readme), "publish rewrote README.md");
    commit("Update the results table");
  }

  Path target() {
    return root.resolve("target");
  }

  Path out() {
    return target().resolve("publish");
  }

  String read(String rel) throws IOException {
    return Files.readString(root.resolve(rel), StandardCharsets.UTF_8);
  }

  /** Runs a command line in the repository; returns exit code and output (stdout and stderr). */
  CommandResult sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
    }
    return new CommandResult(p.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  record CommandResult(int exit, String output) {}

  /** The tests' reporter. */
  static final class RecordingReporter extends CapturingReporter {}
}
