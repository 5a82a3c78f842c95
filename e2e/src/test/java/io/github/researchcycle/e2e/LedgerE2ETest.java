package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectFailure;
import static io.github.researchcycle.e2e.ResearchProject.expectOutput;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways a hurried researcher bent the record, each tried on a generated repository with an
 * {@code improve} claim and short synthetic training: a deleted run, a cherry-picked seed, a model
 * or experiment changed after the claim runs, a config override, forged metrics, a rewritten
 * ledger, a second claim after a published negative, a lowered margin. Each is refused by name or
 * disclosed in the writeup; a reader's audit says the same.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerE2ETest {
  @TempDir static Path work;

  static ResearchProject project;
  static List<String> wideRuns = new ArrayList<>();

  @BeforeAll
  static void generate() {
    project = ResearchProject.generate(work, "Ledger end to end");
    project.write("research.yaml", read("research.yaml").replace("seeds: 5 ", "seeds: 2 "));
    project.write("experiments/baseline.yaml", read("experiments/baseline.yaml")
        .replace("  samples: 3000", "  samples: 400").replace("  epochs: 15", "  epochs: 2"));
    project.git("init", "-q");
    project.commitAll("Pre-register the claim");
  }

  static String read(String relative) {
    try {
      return Files.readString(project.dir.resolve(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> ledgerLines() {
    try {
      return Files.readAllLines(project.dir.resolve(".research/ledger.jsonl"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Set<String> runsOf(String experiment) {
    Set<String> ids = new TreeSet<>();
    for (String id : project.runIds()) {
      String json = readRun(id);
      if (json.contains("\"experiment\" : \"" + experiment + "\"")) {
        ids.add(id);
      }
    }
    return ids;
  }

  static String readRun(String id) {
    try {
      return Files.readString(project.run(id).resolve("run.json"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @Order(1)
  void everyRunAndTheClaimAreInTheLedger() {
    expectSuccess(project.mvn("research:run"));
    expectSuccess(project.mvn("research:run", "-Dresearch.experiment=baseline", "-Dresearch.seeds=2"));
    expectSuccess(project.mvn("research:run", "-Dresearch.experiment=wide", "-Dresearch.seeds=2"));
    wideRuns.addAll(runsOf("wide"));
    assertEquals(2, wideRuns.size());
    List<String> lines = ledgerLines();
    // smoke: start and end; the claim once, at the first full run; four claim runs: start and end each.
    assertEquals(2 + 1 + 8, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(2).contains("\"type\":\"claim-registered\""), lines.get(2));
    assertTrue(lines.stream().filter(l -> l.contains("\"type\":\"run-ended\""))
        .allMatch(l -> l.contains("\"runJson\":\"sha256:") && l.contains("\"codeIdentity\":\"sha256:")),
        String.join("\n", lines));
    project.commitAll("Claim runs");
    expectSuccess(project.mvn("research:verify"));
    project.commitAll("Verified");
    Cmd.Result audit = project.mvn("research:audit");
    expectSuccess(audit);
    expectOutput(audit, "Audit: all agree");
  }

  @Test
  @Order(2)
  void aRunRemovedWithGitIsRefusedByName() {
    String victim = wideRuns.get(0);
    project.git("rm", "-r", "-q", "runs/" + victim);
    project.commitAll("Drop an unlucky run");
    Cmd.Result r = project.mvn("research:publish");
    expectFailure(r);
    expectOutput(r, "run " + victim + " is in the ledger but runs/" + victim + " is missing");
    assertEquals("", project.git("tag", "-l"), "no tag after a refusal");
    Cmd.Result audit = project.mvn("research:audit");
    expectFailure(audit);
    expectOutput(audit, victim);
    project.git("checkout", "HEAD~1", "--", "runs/" + victim);
    project.commitAll("Restore the run");
  }

  @Test
  @Order(3)
  void anExtraSeedDeletedWithItsReasonIsDisclosed() {
    expectSuccess(project.mvn("research:run", "-Dresearch.experiment=wide", "-Dresearch.seed=3"));
    Set<String> now = runsOf("wide");
    now.removeAll(wideRuns);
    String extra = now.iterator().next();
    Cmd.Result noReason = project.mvn("research:delete", "-Dresearch.run=" + extra);
    expectFailure(noReason);
    expectOutput(noReason, "needs a reason");
    assertTrue(Files.isDirectory(project.run(extra)), "nothing deleted without a reason");
    expectSuccess(project.mvn("research:delete", "-Dresearch.run=" + extra,
        "-Dresearch.reason=a third seed beyond the pre-registered two"));
    assertFalse(Files.exists(project.run(extra)));
    assertTrue(ledgerLines().get(ledgerLines().size() - 1).contains("\"type\":\"run-deleted\""));
    project.commitAll("Delete the extra seed, saying why");
    Cmd.Result status = project.mvn("research:status");
    expectOutput(status, "deleted, not counted: " + extra);
  }

  @Test
  @Order(4)
  void aModelChangedAfterTheClaimRunsIsRefusedAndItsRevertAccepted() {
    Path network = findSource("Network.java");
    String before = read(network.toString());
    project.write(network.toString(), before.replace("Activation::relu", "Activation::tanh"));
    assertFalse(before.equals(read(network.toString())), "the model changed");
    project.commitAll("A better activation");
    Cmd.Result r = project.mvn("research:publish");
    expectFailure(r);
    expectOutput(r, "ran code or experiments that changed since");
    expectOutput(r, "Network.java");
    expectOutput(r, "mvn research:run -Dresearch.experiment=wide");
    project.write(network.toString(), before);
    project.commitAll("Back to the model the claim ran");
  }

  @Test
  @Order(5)
  void anExperimentChangedAfterItsRunsIsRefused() {
    String before = read("experiments/wide.yaml");
    project.append("experiments/wide.yaml", "# retuned after the results\n");
    project.commitAll("Retune");
    Cmd.Result r = project.mvn("research:publish");
    expectFailure(r);
    expectOutput(r, "experiments/wide.yaml");
    project.write("experiments/wide.yaml", before);
    project.commitAll("Undo the retune");
  }

  @Test
  @Order(6)
  void aRunWithAnOverrideNeverCountsAsThePreRegisteredConfig() {
    expectSuccess(project.mvn("research:run", "-Dresearch.experiment=wide", "-Dresearch.seed=9",
        "-Dresearch.set=model.hidden=8"));
    project.commitAll("An override");
    Cmd.Result status = project.mvn("research:status");
    expectOutput(status, "other config, not counted");
    expectOutput(status, "model.hidden=8");
  }

  @Test
  @Order(7)
  void forgedMetricsAreRefused() {
    String id = wideRuns.get(1);
    String original = readRun(id);
    project.write("runs/" + id + "/run.json", original.replaceFirst("(\"validate_accuracy\" : )0\\.\\d+", "$10.999"));
    assertFalse(original.equals(readRun(id)), "the metric was forged");
    project.commitAll("Better numbers");
    Cmd.Result r = project.mvn("research:publish");
    expectFailure(r);
    expectOutput(r, "runs/" + id + "/run.json differs from what the ledger recorded");
    project.write("runs/" + id + "/run.json", original);
    project.commitAll("The recorded numbers again");
  }

  @Test
  @Order(8)
  void aLedgerRewrittenToMatchAForgeryIsNamedForever() throws IOException {
    Path clone = work.resolve("forger");
    expectSuccess(Cmd.run(work, Cmd.git("clone", "-q", project.dir.toString(), clone.toString())));
    ResearchProject forger = new ResearchProject(clone);
    String id = wideRuns.get(1);
    Path runJson = clone.resolve("runs/" + id + "/run.json");
    String original = Files.readString(runJson, StandardCharsets.UTF_8);
    Files.writeString(runJson, original.replaceFirst("(\"validate_accuracy\" : )0\\.\\d+", "$10.999"),
        StandardCharsets.UTF_8);
    Path ledger = clone.resolve(".research/ledger.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(ledger, StandardCharsets.UTF_8));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"run-ended\"") && lines.get(i).contains(id)) {
        lines.set(i, lines.get(i).replaceFirst("\"runJson\":\"sha256:[0-9a-f]+\"",
            "\"runJson\":\"" + sha256(runJson) + "\""));
      }
    }
    Files.writeString(ledger, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    forger.commitAll("Numbers and ledger to match");
    Cmd.Result r = forger.mvn("research:publish");
    expectFailure(r);
    expectOutput(r, "the ledger may only grow");
    Cmd.Result audit = forger.mvn("research:audit");
    expectFailure(audit);
    expectOutput(audit, "names sha256:");
    // Undoing it is a second rewrite: the history keeps showing both.
    forger.git("revert", "--no-edit", "HEAD");
    r = forger.mvn("research:publish");
    expectFailure(r);
    expectOutput(r, "the ledger may only grow");
  }

  @Test
  @Order(9)
  void aLoweredMarginIsShownInTheTagTheReadmeTableAndResultsJson() throws IOException {
    project.write("research.yaml", read("research.yaml").replace("  margin: 0.02", "  margin: 0.001"));
    project.commitAll("Lower the margin");
    Cmd.Result status = project.mvn("research:status");
    expectOutput(status, "claim.margin: 0.02 -> 0.001");
    Cmd.Result u = project.mvn("research:publish", "-Dresearch.updateReadme=true");
    expectFailure(u);
    project.commitAll("Results table");
    String table = read("README.md");
    assertTrue(table.contains("The claim changed after its pre-registration"), table);
    assertTrue(table.contains("claim.margin: 0.02 -> 0.001"), table);
    Cmd.Result r = project.mvn("research:publish");
    expectSuccess(r);
    String tag = project.git("tag", "-l");
    assertEquals("spirals-published-1", tag);
    String message = project.git("tag", "-n50", tag);
    assertTrue(message.contains("claim.margin: 0.02 -> 0.001"), message);
    String results = Files.readString(project.dir.resolve("target/publish/results.json"), StandardCharsets.UTF_8);
    assertTrue(results.contains("claim.margin: 0.02 -> 0.001"), results);
    String post = Files.readString(project.dir.resolve("target/publish/post.md"), StandardCharsets.UTF_8);
    assertTrue(post.contains("a third seed beyond the pre-registered two"), "the deletion and its reason: " + post);
    assertTrue(post.contains("other config"), "the override run is listed: " + post);
    assertTrue(ledgerLines().get(ledgerLines().size() - 1).contains("\"type\":\"published\""));
    project.commitAll("Publication 1 in the ledger");
    status = project.mvn("research:status");
    expectOutput(status, "Stage: PUBLISHED");
    expectOutput(status, "Published: spirals-published-1");
    Cmd.Result audit = project.mvn("research:audit");
    expectSuccess(audit);
    expectOutput(audit, "Audit: all agree");
  }

  @Test
  @Order(10)
  void aSecondClaimAfterAPublicationNamesTheFirst() throws IOException {
    for (String id : new TreeSet<>(runsOf("wide"))) {
      expectSuccess(project.mvn("research:delete", "-Dresearch.run=" + id,
          "-Dresearch.reason=superseded by a wider model"));
    }
    project.write("experiments/wide.yaml", read("experiments/wide.yaml").replace("hidden: 256", "hidden: 192"));
    project.write("research.yaml", read("research.yaml").replace("  margin: 0.001", "  margin: 0.005"));
    project.commitAll("A new claim");
    expectSuccess(project.mvn("research:run"));
    expectSuccess(project.mvn("research:run", "-Dresearch.experiment=baseline", "-Dresearch.seeds=2"));
    expectSuccess(project.mvn("research:run", "-Dresearch.experiment=wide", "-Dresearch.seeds=2"));
    project.commitAll("Runs of the new claim");
    expectSuccess(project.mvn("research:verify"));
    project.commitAll("Verified");
    expectFailure(project.mvn("research:publish", "-Dresearch.updateReadme=true"));
    project.commitAll("Results table");
    expectSuccess(project.mvn("research:publish"));
    String post = Files.readString(project.dir.resolve("target/publish/post.md"), StandardCharsets.UTF_8);
    assertTrue(post.contains("Earlier publications of this research"), post);
    assertTrue(post.contains("`spirals-published-1`"), post);
    assertTrue(post.contains("superseded"), "the first claim's runs are shown superseded: " + post);
    String message = project.git("tag", "-n50", "spirals-published-2");
    assertTrue(message.contains("Earlier publication 1: spirals-published-1"), message);
  }

  private static Path findSource(String name) {
    try (Stream<Path> files = Files.walk(project.dir.resolve("src/main/java"))) {
      return project.dir.relativize(files.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(Path file) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
      return "sha256:" + HexFormat.of().formatHex(d);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
