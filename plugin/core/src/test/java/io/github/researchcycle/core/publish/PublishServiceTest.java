package io.github.researchcycle.core.publish;

import static io.github.researchcycle.core.TestFiles.write;
import static io.github.researchcycle.core.publish.PublishFixture.BASELINE;
import static io.github.researchcycle.core.publish.PublishFixture.BETTER;
import static io.github.researchcycle.core.publish.PublishFixture.METRIC;
import static io.github.researchcycle.core.publish.PublishFixture.NAME;
import static io.github.researchcycle.core.publish.PublishFixture.RESEARCH_YAML;
import static io.github.researchcycle.core.publish.PublishFixture.WORSE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.cycle.StatusService;
import io.github.researchcycle.core.cycle.Verdict;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.verify.VerifyRequest;
import io.github.researchcycle.core.verify.VerifyService;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.core.store.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * research:publish on a complete research repository in a real git repository: the gates, what it
 * renders into target/publish, the bundle and the annotated tag, and that a failure leaves nothing.
 */
class PublishServiceTest {
  /** Student's t quantile 0.975 with 2 degrees of freedom, in closed form: (2p - 1) / sqrt(2p(1 - p)). */
  static final double T_975_DF2 = 0.95 / Math.sqrt(2 * 0.975 * 0.025);

  /** A src or href attribute whose value leaves the page (http, https or protocol-relative). */
  static final Pattern EXTERNAL = Pattern.compile("(?i)\\b(?:src|href)\\s*=\\s*[\"']?\\s*(?:https?:)?//");

  @TempDir Path dir;
  @TempDir Path elsewhere;
  PublishFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.git.close();
    }
  }

  // ------------------------------------------------------------------------------------ the happy path

  @Test
  void happyPath() throws Exception {
    f = PublishFixture.create(dir);
    String readme = f.read("README.md");

    // 1. The README's table is stale: refused, nothing changed, nothing made.
    GateException stale = assertThrows(GateException.class, () -> f.publish(false));
    assertTrue(stale.getMessage().contains("stale"), stale.getMessage());
    assertTrue(stale.getMessage().contains("-Dresearch.updateReadme=true"), stale.getMessage());
    assertEquals(readme, f.read("README.md"));
    assertNoPublication();

    // 2. updateReadme=true rewrites the table between the markers, then refuses until it is committed.
    GateException rewritten = assertThrows(GateException.class, () -> f.publish(true));
    assertTrue(rewritten.getMessage().contains("commit"), rewritten.getMessage());
    String updated = f.read("README.md");
    assertTrue(updated.startsWith("# Longer training on tiny digits\n\n## Results\n\n" + PublishService.START + "\n"),
        updated);
    assertTrue(updated.endsWith(PublishService.END + "\n\n## Reproduce\n\nmvn research:reproduce\n"), updated);
    assertFalse(updated.contains("Not published yet"), updated);
    assertTrue(updated.contains(expectedRows(BETTER).get(1) + "\n\nJudged from the run records under `runs/` (6 runs "
        + "used, 8 tried; "), "a blank line ends the table: " + updated);
    assertTrue(updated.contains("**POSITIVE**"), updated);
    for (String row : expectedRows(BETTER)) {
      assertTrue(updated.contains(row), () -> row + "\nnot in\n" + updated);
    }
    assertEquals(Set.of("README.md"), f.git.status().call().getModified());
    assertNoPublication();
    // The rewritten README is current now, but uncommitted: the clean gate names it.
    GateException uncommitted = assertThrows(GateException.class, () -> f.publish(false));
    assertTrue(uncommitted.getMessage().contains("not: README.md."), uncommitted.getMessage());
    assertNoPublication();

    // 3. Committed: publish succeeds.
    f.commit("Update the results table");
    String head = f.git.getRepository().resolve("HEAD").name();
    Publication p = f.publish(false);
    assertEquals(NAME + "-published-1", p.tag());
    assertTrue(p.tagCreated());
    assertEquals(head, p.commit());
    assertEquals(Verdict.POSITIVE, p.verdict());
    assertTrue(p.reason().startsWith("Positive: the method's advantage over the baseline (method minus baseline) is "
        + String.format(Locale.ROOT, "%.4f", mean(BETTER) - mean(BASELINE))), p.reason());
    assertEquals(f.out(), p.dir());
    assertEquals(f.out().resolve(NAME + "-bundle.zip"), p.bundle());
    assertTrue(f.reporter.lines.stream().anyMatch(l -> l.contains(p.tag() + " (new)")), f.reporter.lines::toString);

    // The tag: annotated, on HEAD, its message carries the verdict (as git itself shows it).
    List<Ref> tags = f.git.tagList().call();
    assertEquals(1, tags.size(), tags::toString);
    Ref peeled = f.git.getRepository().getRefDatabase().peel(tags.get(0));
    assertNotNull(peeled.getPeeledObjectId(), "an annotated tag");
    assertEquals(ObjectId.fromString(head), peeled.getPeeledObjectId());
    PublishFixture.CommandResult tagList = f.sh("git", "tag", "-n5");
    assertEquals(0, tagList.exit(), tagList.output());
    assertTrue(tagList.output().startsWith(p.tag() + " "), tagList.output());
    assertTrue(tagList.output().contains("Verdict: POSITIVE"), tagList.output());
    assertTrue(tagList.output().contains("Research Cycle publication: Longer training on tiny digits"),
        tagList.output());
    PublishFixture.CommandResult fsck = f.sh("git", "fsck", "--full", "--strict");
    assertEquals(0, fsck.exit(), fsck.output());
    assertFalse(fsck.output().matches("(?is).*\\b(error|missing|broken|corrupt)\\b.*"), fsck.output());
    PublishFixture.CommandResult status = f.sh("git", "status", "--porcelain");
    // Publishing appends its own entry to the ledger, to be committed; nothing else changes.
    assertEquals(" M .research/ledger.jsonl", status.output().strip().isEmpty() ? "" : " " + status.output().strip(),
        "publishing changes only the ledger (target/ is ignored)");

    // target/publish: exactly what was promised, and no staging folder left beside it.
    assertEquals(Set.of("post.md", "report.html", "results.json", "REPRODUCE.md", "figures", NAME + "-bundle.zip"),
        names(f.out()));
    assertEquals(Set.of("per-seed.svg", "per-seed.png", "learning-curves.svg", "learning-curves.png"),
        names(f.out().resolve("figures")));
    assertEquals(Set.of("publish"), names(f.target()));

    // post.md: the repository's own template, which includes the default article.
    String post = Files.readString(f.out().resolve("post.md"));
    assertTrue(post.startsWith("Preface written by the researcher.\n"), post);
    assertTrue(post.contains("# Longer training on tiny digits"), post);
    assertTrue(post.contains("**Verdict: POSITIVE.**"), post);
    assertTrue(post.contains("| experiment | role | runs used | " + METRIC + " (mean ± sd) | 95 % CI |"), post);
    for (String row : expectedRows(BETTER)) {
      assertTrue(post.contains(row), () -> row + "\nnot in\n" + post);
    }
    assertTrue(post.contains(expectedRows(BETTER).get(1) + "\n\n![" + METRIC + " per seed]"),
        "a blank line ends the table before the figure");
    assertTrue(post.contains("above a margin of 0.0100"), post);
    assertTrue(post.contains("![" + METRIC + " per seed](figures/per-seed.svg)"), post);
    assertTrue(post.contains("(figures/learning-curves.svg)"), post);
    assertTrue(post.contains("| method | 4 | 3 | 1 | 0 | 0 | 0 |"), post);
    assertTrue(post.contains("| smoke | 1 | 1 | 0 | 0 | 0 | 0 |"), post);
    assertTrue(post.contains("8 runs were tried and 1 did not finish"), post);
    assertTrue(post.contains("The statistics use 6 finished runs"), post);
    assertTrue(post.contains("pre-registered at commit `" + f.registered.name().substring(0, 12)
        + "`, before the first full run (`" + f.baselineRuns.get(0).id() + "`)"), post);
    assertFalse(post.contains("The claim changed"), post);
    assertTrue(post.contains("Run `" + f.verified.id() + "` was re-run"), post);
    assertTrue(post.contains("every logged value was bit-identical"), post);
    assertTrue(post.contains("Java 17.0.12 (Eclipse Adoptium); PyTorch 2.5.1 through DJL 0.31.0; Linux amd64; 8 CPUs;"
        + " heap 4.0 GiB; devices [cpu()]."), post);
    assertTrue(post.contains("from commit `" + head + "`"), post);

    // report.html: self-contained, the figures inlined as SVG data URIs.
    String html = Files.readString(f.out().resolve("report.html"));
    Matcher external = EXTERNAL.matcher(html);
    assertFalse(external.find(), () -> "external reference: " + html.substring(external.start(),
        Math.min(html.length(), external.start() + 80)));
    assertFalse(html.contains("src=\"figures/"), "every figure is inlined");
    assertEquals(2, count(html, "src=\"data:image/svg+xml;base64,"), html);
    String seedsSvg = Base64.getEncoder().encodeToString(Files.readAllBytes(f.out().resolve("figures/per-seed.svg")));
    assertTrue(html.contains("src=\"data:image/svg+xml;base64," + seedsSvg + "\""), "the per-seed figure, inlined");
    assertTrue(html.contains("<span class=\"verdict verdict-POSITIVE\">POSITIVE</span>"), html);
    assertEquals(3, count(html, "<table>"), "the results, the run counts and every claim run are rendered as HTML tables");
    assertFalse(html.contains("<td><img"), "no figure inside a table cell");
    assertTrue(html.contains("<p><img src=\"data:image/svg+xml;base64," + seedsSvg + "\" alt=\"" + METRIC
        + " per seed\" /></p>"), "the per-seed figure is a paragraph of its own");
    assertTrue(html.contains("<p>8 runs were tried and 1 did not finish"), "the sentence after the runs table");
    assertTrue(html.contains("<td>" + fmt(mean(BETTER)) + " ± " + fmt(sd(BETTER)) + "</td>"), html);

    // The learning curves have data: the figure is drawn, not the "No data" placeholder.
    String curves = Files.readString(f.out().resolve("figures/learning-curves.svg"));
    assertFalse(curves.contains("No data"), "learning curves with data");
    assertTrue(curves.contains("baseline (n = 3)") && curves.contains("method (n = 3)"), "both curves are labelled");

    // results.json
    JsonNode results = Json.mapper().readTree(f.out().resolve("results.json").toFile());
    assertEquals("POSITIVE", results.get("verdict").asText());
    assertEquals(p.reason(), results.get("reason").asText());
    assertEquals(head, results.get("commit").asText());
    assertEquals(p.tag(), results.get("tag").asText());
    assertEquals(METRIC, results.get("metric").asText());
    assertEquals(0.01, results.get("claim").get("margin").asDouble());
    assertEquals(usedIds(), texts(results.get("runsUsed")));
    assertEquals(f.verified.id(), results.get("verification").get("run").asText());
    assertTrue(results.get("verification").get("passed").asBoolean());
    assertEquals("research-maven-plugin 0.1.0-test", results.get("renderedBy").asText());
    // Every statistic is a JSON number at full precision, not the templates' four-decimal text.
    for (JsonNode e : results.get("experiments")) {
      for (String key : List.of("n", "mean", "sd", "ciLow", "ciHigh")) {
        assertTrue(e.get(key).isNumber(), key + " is a number: " + e);
      }
    }
    for (JsonNode r : results.get("claimRuns")) {
      assertTrue(r.get("metric").isNumber() || r.get("metric").isNull(), "a run's metric is a number: " + r);
      assertFalse(r.has("metricValue"), r.toString());
    }

    // REPRODUCE.md
    String reproduce = Files.readString(f.out().resolve("REPRODUCE.md"));
    assertTrue(reproduce.contains("commit `" + head + "` (tag `" + p.tag() + "`)"), reproduce);
    for (String id : usedIds()) {
      assertTrue(reproduce.contains("- `" + id + "`"), reproduce);
    }

    // The bundle: the committed repository plus the rendered writeup, nothing from target/.
    Map<String, byte[]> zip = unzip(p.bundle());
    String top = NAME + "-bundle/";
    assertTrue(zip.keySet().stream().allMatch(n -> n.startsWith(top)), zip.keySet()::toString);
    for (String rel : List.of("writeup/post.md", "writeup/report.html", "writeup/results.json",
        "writeup/figures/per-seed.svg", "writeup/figures/learning-curves.png", "REPRODUCE.md", "research.yaml",
        "README.md", ".gitignore", "writeup/post.md.vm", "src/main/java/org/example/Train.java")) {
      assertTrue(zip.containsKey(top + rel), () -> rel + " not in " + zip.keySet());
    }
    List<RunRecord> all = new ArrayList<>(f.store.list());
    assertEquals(8, all.size());
    for (RunRecord r : all) {
      for (String file : List.of(RunStore.RUN_JSON, RunStore.METRICS)) {
        String rel = "runs/" + r.id() + "/" + file;
        assertArrayEquals(Files.readAllBytes(f.root.resolve(rel)), zip.get(top + rel), rel);
      }
    }
    assertTrue(zip.containsKey(top + "runs/" + f.verified.id() + "/verification.json"));
    assertTrue(zip.keySet().stream().noneMatch(n -> n.contains("target/")), zip.keySet()::toString);
    assertTrue(zip.keySet().stream().noneMatch(n -> n.endsWith("/output.log")), "ignored files stay out");
    assertTrue(zip.keySet().stream().noneMatch(n -> n.endsWith(".zip")), zip.keySet()::toString);
    assertArrayEquals(Files.readAllBytes(f.out().resolve("post.md")), zip.get(top + "writeup/post.md"));
    assertArrayEquals(Files.readAllBytes(f.out().resolve("REPRODUCE.md")), zip.get(top + "REPRODUCE.md"));
    assertArrayEquals(Files.readAllBytes(f.root.resolve("research.yaml")), zip.get(top + "research.yaml"));
  }

  @Test
  void theTestPointOfTheLearningCurveIsAtTheLastEpochNotOnePast() {
    // Two runs of 3 epochs: loss and accuracy per epoch (0..2), test accuracy after training (epoch 3).
    List<PublishService.RunLines> runs = new ArrayList<>();
    for (double test : new double[] {0.8, 0.9}) {
      List<MetricLine> lines = new ArrayList<>();
      for (int epoch = 0; epoch < 3; epoch++) {
        lines.add(new MetricLine(epoch, epoch, "loss", 1.0 / (epoch + 1), 0));
        lines.add(new MetricLine(epoch, epoch, "val_accuracy", 0.5 + epoch / 10.0, 0));
      }
      lines.add(new MetricLine(3, 3, "test_accuracy", test, 0));
      // One run says its epochs in its config, the other is judged from its per-epoch metrics.
      runs.add(new PublishService.RunLines(test < 0.85 ? 3 : 0, lines));
    }
    List<Figures.Series> test = PublishService.meanCurve("m", runs, "test_accuracy");
    assertEquals(1, test.size());
    assertArrayEquals(new double[] {3}, test.get(0).x(), "drawn at epoch 3 of 3, not 4");
    assertEquals(0.85, test.get(0).y()[0], 1e-12);

    List<Figures.Series> val = PublishService.meanCurve("m", runs, "val_accuracy");
    assertEquals(1, val.size());
    assertArrayEquals(new double[] {1, 2, 3}, val.get(0).x());

    // A metric logged per epoch and once more after training: the last one is a separate test point.
    runs.get(0).lines().add(new MetricLine(3, 3, "val_accuracy", 0.95, 0));
    List<Figures.Series> both = PublishService.meanCurve("m", runs, "val_accuracy");
    assertEquals(2, both.size());
    assertArrayEquals(new double[] {1, 2, 3}, both.get(0).x());
    assertEquals("m, test after training", both.get(1).label());
    assertArrayEquals(new double[] {3}, both.get(1).x());
  }

  @Test
  void publishingTheSameCommitAgainReusesItsTag() throws Exception {
    f = PublishFixture.create(dir);
    Publication first = f.publishReady();
    byte[] bundle = Files.readAllBytes(first.bundle());

    Publication again = f.publish(false);
    assertFalse(again.tagCreated());
    assertEquals(first.tag(), again.tag());
    assertEquals(first.commit(), again.commit());
    List<Ref> tags = f.git.tagList().call();
    assertEquals(1, tags.size(), tags::toString);
    assertTrue(f.reporter.lines.stream().anyMatch(l -> l.contains(first.tag() + " (already there)")),
        f.reporter.lines::toString);
    assertEquals(Set.of("publish"), names(f.target()), "no staging folder left");
    assertArrayEquals(bundle, Files.readAllBytes(again.bundle()), "the same commit gives the same bundle");
    JsonNode results = Json.mapper().readTree(f.out().resolve("results.json").toFile());
    assertEquals(first.tag(), results.get("tag").asText());
  }

  @Test
  void eachPublishedCommitGetsTheNextFreeNumber() throws Exception {
    f = PublishFixture.create(dir);
    assertEquals(NAME + "-published-1", f.publishReady().tag());
    f.commit("A later commit");
    assertEquals(NAME + "-published-2", f.publish(false).tag());
    // A publication tag deleted by hand leaves a gap: the next commit must not take a number in use.
    PublishFixture.CommandResult deleted = f.sh("git", "tag", "-d", NAME + "-published-1");
    assertEquals(0, deleted.exit(), deleted.output());
    f.commit("Another commit");
    Publication third = f.publish(false);
    assertTrue(third.tagCreated());
    assertEquals(NAME + "-published-3", third.tag());
    assertEquals(List.of(NAME + "-published-2", NAME + "-published-3"),
        f.git.tagList().call().stream().map(r -> r.getName().substring("refs/tags/".length())).sorted().toList());
  }

  @Test
  void negativeResultPublishesAsNegative() throws Exception {
    // Without writeup/post.md.vm of its own, the repository gets the default article.
    f = PublishFixture.create(dir, PublishFixture.spec().method(WORSE).ownPost(false));
    Publication p = f.publishReady();
    assertEquals(Verdict.NEGATIVE, p.verdict());
    assertTrue(p.tagCreated());
    assertTrue(p.reason().startsWith("Negative: "), p.reason());
    assertTrue(p.reason().contains(" is " + fmt(mean(WORSE) - mean(BASELINE)) + " "), p.reason());
    String post = Files.readString(f.out().resolve("post.md"));
    assertTrue(post.startsWith("# Longer training on tiny digits\n\n**Verdict: NEGATIVE.** Negative: "), post);
    for (String row : expectedRows(WORSE)) {
      assertTrue(post.contains(row), () -> row + "\nnot in\n" + post);
    }
    assertTrue(f.read("README.md").contains("**NEGATIVE**"));
    assertTrue(Files.readString(f.out().resolve("report.html")).contains("verdict-NEGATIVE"));
    assertEquals("NEGATIVE", Json.mapper().readTree(f.out().resolve("results.json").toFile()).get("verdict").asText());
    PublishFixture.CommandResult tagList = f.sh("git", "tag", "-n5");
    assertTrue(tagList.output().contains("Verdict: NEGATIVE"), tagList.output());
  }

  // ------------------------------------------------------------------------------------ the gates

  @Test
  void dirtyTreeIsRefusedAndChangesNothing() throws Exception {
    f = PublishFixture.create(dir);
    f.publishReady();
    Map<String, String> before = snapshot(f.out());
    List<Ref> tagsBefore = f.git.tagList().call();
    f.commit("Nothing"); // a new commit that is not published yet: a publish would make a new tag
    write(f.root, "src/main/java/org/example/Train.java", "package org.example;\n\npublic class Train { int x; }\n");

    GateException e = assertThrows(GateException.class, () -> f.publish(false));
    assertTrue(e.getMessage().contains("src/main/java/org/example/Train.java"), e.getMessage());
    assertTrue(e.getMessage().contains("git add src && git commit -m "), e.getMessage());
    assertEquals(tagsBefore, f.git.tagList().call());
    assertEquals(before, snapshot(f.out()), "target/publish is left as it was");
    assertEquals(Set.of("publish"), names(f.target()));

    // Uncommitted run records and writeup files count too (they are what the writeup cites).
    write(f.root, "src/main/java/org/example/Train.java", "package org.example;\n\npublic class Train {}\n");
    write(f.root, "writeup/journal.md", "# Journal\n\nan uncommitted note\n");
    GateException journal = assertThrows(GateException.class, () -> f.publish(false));
    assertTrue(journal.getMessage().contains("writeup/journal.md"), journal.getMessage());
    assertEquals(tagsBefore, f.git.tagList().call());
    assertEquals(before, snapshot(f.out()));
  }

  @Test
  void committedEnvFileIsRefused() throws Exception {
    f = PublishFixture.create(dir);
    f.makeReady();
    write(f.root, ".env", "WANDB_API_KEY=0123456789abcdef" + "0123456789abcdef01234567\n");
    f.commit("Local settings");

    GateException e = assertThrows(GateException.class, () -> f.publish(false));
    assertTrue(e.getMessage().contains(".env"), e.getMessage());
    assertTrue(e.getMessage().contains("git rm --cached"), e.getMessage());
    assertEquals(List.of(), f.git.tagList().call());
    assertNoPublication();
  }

  @Test
  void claimEditedAfterTheFirstRunShowsAndThePreRegisteredClaimIsJudged() throws Exception {
    f = PublishFixture.create(dir);
    write(f.root, "research.yaml", RESEARCH_YAML.replace("margin: 0.01", "margin: 0.1"));
    f.commit("Raise the margin");
    Publication p = f.publishReady();

    // Judged against the pre-registered margin 0.01 the method wins; against the edited 0.1 it would lose.
    assertEquals(Verdict.POSITIVE, p.verdict());
    assertTrue(p.reason().contains("against a margin of 0.0100"), p.reason());
    String post = Files.readString(f.out().resolve("post.md"));
    assertTrue(post.contains("**The claim changed after its pre-registration.**"), post);
    assertTrue(post.contains("- claim.margin: 0.01 -> 0.1"), post);
    assertTrue(post.contains("Judged against the claim as edited, the verdict would be NEGATIVE"), post);
    assertTrue(post.contains("above a margin of 0.0100"), "the criterion shown is the pre-registered one");
    assertTrue(post.contains("**Verdict: POSITIVE.**"), post);
    String html = Files.readString(f.out().resolve("report.html"));
    assertTrue(html.contains("<li>claim.margin: 0.01 -&gt; 0.1</li>"), html);
    assertTrue(html.contains("<p>Judged against the claim as edited, the verdict would be NEGATIVE"),
        "a paragraph of its own, not a continuation of the list");
    JsonNode results = Json.mapper().readTree(f.out().resolve("results.json").toFile());
    assertEquals("POSITIVE", results.get("verdict").asText());
    assertEquals(0.01, results.get("claim").get("margin").asDouble());
    assertTrue(results.get("preRegistration").get("changed").asBoolean());
    assertEquals(List.of("claim.margin: 0.01 -> 0.1"), ordered(results.get("preRegistration").get("changes")));
  }

  @Test
  void tooFewSeedsIsRefused() throws Exception {
    f = PublishFixture.create(dir, PublishFixture.spec().baseline(0.80, 0.81));
    GateException e = assertThrows(GateException.class, () -> f.publish(true));
    assertTrue(e.getMessage().contains("needs 3 finished clean runs of each experiment, and `baseline` has 2"),
        e.getMessage());
    assertTrue(e.getMessage().contains(". Fix: "), e.getMessage());
    assertEquals(PublishFixture.README, f.read("README.md"), "refused before the README is touched");
    assertEquals(List.of(), f.git.tagList().call());
    assertNoPublication();
  }

  @Test
  void everyUnmetGateIsNamedAtOnceWithAFixThatWorksWhenPasted() throws Exception {
    // Too few baseline seeds, no verification, a stale README table and an untracked run record.
    f = PublishFixture.create(dir, PublishFixture.spec().baseline(0.80, 0.81).verification(null));
    write(f.root, "runs/20260101-000000-000-untracked/run.json", "{}\n");
    GateException e = assertThrows(GateException.class, () -> f.publish(true));
    String m = e.getMessage();
    assertTrue(m.startsWith("Refusing to publish: 4 gates not passed (nothing was changed):"), m);
    assertTrue(m.contains("\n  1. publishing needs every file committed"), m);
    assertTrue(m.contains("\n  2. gate RUNNING -> CONCLUDED"), m);
    assertTrue(m.contains("\n  3. gate CONCLUDED -> PUBLISHED: no run of the claim is verified"), m);
    assertTrue(m.contains("\n  4. README.md's results table is stale"), m);
    assertFalse(m.contains("commit -am"), "git commit -am misses untracked run records: " + m);
    assertEquals(4, m.split("Fix: ", -1).length - 1, "one fix per gate: " + m);
    assertEquals(PublishFixture.README, f.read("README.md"), "a refused publish changes nothing");
    assertEquals(List.of(), f.git.tagList().call());
    assertNoPublication();

    // The commit fix, pasted into a shell, commits the untracked run record.
    Matcher fix = Pattern.compile("Fix: (git add [^\n]*?\"), then publish").matcher(m);
    assertTrue(fix.find(), m);
    assertEquals("git add runs && git commit -m \"Commit the changes and run records\"", fix.group(1));
    ProcessBuilder shell = new ProcessBuilder("sh", "-c", fix.group(1)).directory(f.root.toFile())
        .redirectErrorStream(true);
    shell.environment().putAll(Map.of("GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.com",
        "GIT_COMMITTER_NAME", "t", "GIT_COMMITTER_EMAIL", "t@example.com"));
    Process proc = shell.start();
    String out = new String(proc.getInputStream().readAllBytes());
    assertEquals(0, proc.waitFor(), out);
    assertTrue(f.git.status().call().isClean(), "the pasted fix left nothing uncommitted");
  }

  @Test
  void statusAndVerifyInAnUnpackedBundleSayItIsABundleNotGitInit() throws Exception {
    f = PublishFixture.create(dir);
    Publication p = f.publishReady();
    Path unpacked = null;
    for (Map.Entry<String, byte[]> e : unzip(p.bundle()).entrySet()) {
      Path to = elsewhere.resolve(e.getKey());
      if (!e.getKey().endsWith("/")) {
        Files.createDirectories(to.getParent());
        Files.write(to, e.getValue());
      }
      unpacked = elsewhere.resolve(e.getKey().substring(0, e.getKey().indexOf('/')));
    }
    assertTrue(Files.isRegularFile(unpacked.resolve("REPRODUCE.md")));

    StatusService.Report report = new StatusService(RunService.system(),
        Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC), "host")
        .report(unpacked);
    String text = String.join("\n", report.lines());
    assertTrue(text.startsWith("Unpacked reproduction bundle of " + p.tag()), text);
    assertTrue(text.contains("mvn research:reproduce"), text);
    assertTrue(text.contains("Verdict as published: POSITIVE"), text);
    assertFalse(text.contains("git init"), text);

    VerifyService verify = new VerifyService(RunService.system(), Clock.systemUTC());
    Path bundle = unpacked;
    GateException e = assertThrows(GateException.class, () -> verify.verify(
        new VerifyRequest(bundle, null, null, null, null, null), f.reporter));
    assertTrue(e.getMessage().contains("is an unpacked reproduction bundle of " + p.tag()), e.getMessage());
    assertTrue(e.getMessage().contains("mvn research:reproduce"), e.getMessage());
    assertFalse(e.getMessage().contains("git init"), e.getMessage());
  }

  /** A fixture whose data set `ext` is read from {@code elsewhere}, outside the repository, under {@code licence}. */
  PublishFixture outsideData(String licence) throws Exception {
    return outsideData(licence, elsewhere.toString());
  }

  /** As above, the file source naming {@code source}: the folder, or the file itself (as research:data writes it). */
  PublishFixture outsideData(String licence, String source) throws Exception {
    byte[] csv = "x,y\n1,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(elsewhere.resolve("train.csv"), csv);
    String manifest = "name: ext\ndescription: 'kept in the home folder'\nlicence: '" + licence + "'\n"
        + "citation: 'A. Tester. Bytes. 2026.'\nformat: csv\nsources:\n  - file: {path: '" + source + "'}\n"
        + "files:\n  - {name: train.csv, size: " + csv.length + ", sha256: "
        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(csv)) + "}\n"
        + "splits:\n  train: {file: train.csv}\n";
    PublishFixture fixture = PublishFixture.create(dir, PublishFixture.spec().file("data/ext.yaml", manifest));
    fixture.makeReady();
    return fixture;
  }

  Publication publishWithData(boolean bundleData) throws IOException {
    return f.service().publish(new PublishRequest(f.root, false, null, "0.1.0-test", null, false, bundleData),
        f.reporter);
  }

  @Test
  void dataOutsideTheRepositoryIsFlaggedAndTheBundleNamesNoFolderOfTheUser() throws Exception {
    f = outsideData("CC0-1.0");
    Publication p = publishWithData(false);
    assertTrue(f.reporter.lines.stream().anyMatch(l -> l.startsWith("WARN data/ext.yaml: the file source ")
        && l.contains("outside the repository") && l.contains("not reproducible elsewhere")), f.reporter.lines::toString);
    assertTrue(Files.readString(f.out().resolve("post.md")).contains("**Data outside the repository.** Data set `ext`"));
    JsonNode results = Json.mapper().readTree(f.out().resolve("results.json").toFile());
    assertEquals(1, results.get("dataOutsideRepository").size(), results.toString());
    Map<String, byte[]> zip = unzip(p.bundle());
    String top = NAME + "-bundle/";
    String manifest = new String(zip.get(top + "data/ext.yaml"), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(manifest.contains("file: {path: '" + OutsideData.OUTSIDE + "'}"), manifest);
    assertFalse(zip.containsKey(top + "data/ext/train.csv"), "no data without -Dresearch.bundle.data=true");
    for (Map.Entry<String, byte[]> e : zip.entrySet()) {
      assertFalse(new String(e.getValue(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(elsewhere.toString()),
          e.getKey() + " names the user's folder");
    }
  }

  @Test
  void theBundleCarriesOutsideDataWhenAskedAndTheLicenceAllows() throws Exception {
    f = outsideData("CC-BY-4.0");
    Publication p = publishWithData(true);
    Map<String, byte[]> zip = unzip(p.bundle());
    String top = NAME + "-bundle/";
    assertArrayEquals(Files.readAllBytes(elsewhere.resolve("train.csv")), zip.get(top + "data/ext/train.csv"));
    String manifest = new String(zip.get(top + "data/ext.yaml"), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(manifest.contains("file: {path: 'data/ext'}"), manifest);
    assertEquals(Set.of("publish"), names(f.target()), "no temporary folder left");
  }

  @Test
  void aFileSourceThatIsTheFileItselfIsCarriedToo() throws Exception {
    f = outsideData("CC0-1.0", elsewhere.resolve("train.csv").toString());
    Publication p = publishWithData(true);
    assertArrayEquals(Files.readAllBytes(elsewhere.resolve("train.csv")),
        unzip(p.bundle()).get(NAME + "-bundle/data/ext/train.csv"), f.reporter.lines.toString());
  }

  @Test
  void outsideDataUnderALicenceOffTheAllowListStaysOutOfTheBundle() throws Exception {
    f = outsideData("proprietary, ask the lab");
    Publication p = publishWithData(true);
    assertTrue(f.reporter.lines.stream().anyMatch(l -> l.startsWith("WARN data set `ext` is not put in the bundle: its "
        + "licence `proprietary, ask the lab` is not one") && l.contains("CC-BY*, CC0*, MIT")), f.reporter.lines::toString);
    assertFalse(unzip(p.bundle()).containsKey(NAME + "-bundle/data/ext/train.csv"));
    assertTrue(OutsideData.redistributable("cc by 4.0") && OutsideData.redistributable("ODbL-1.0")
        && OutsideData.redistributable("Apache-2.0") && !OutsideData.redistributable(null)
        && !OutsideData.redistributable("GPL-3.0"));
  }

  @Test
  void noVerifiedRunIsRefused() throws Exception {
    f = PublishFixture.create(dir, PublishFixture.spec().verification(null));
    GateException none = assertThrows(GateException.class, () -> f.publish(true));
    assertTrue(none.getMessage().contains("research:verify"), none.getMessage());
    assertEquals(List.of(), f.git.tagList().call());
    assertNoPublication();

    // A verification that failed is no verification.
    f.verify(f.methodRuns.get(2), false);
    f.commit("A failed verification");
    GateException failed = assertThrows(GateException.class, () -> f.publish(true));
    assertTrue(failed.getMessage().contains("research:verify"), failed.getMessage());
    assertEquals(PublishFixture.README, f.read("README.md"));
    assertEquals(List.of(), f.git.tagList().call());
    assertNoPublication();
  }

  // ------------------------------------------------------------------------------------ atomicity

  @Test
  void failureInTheBundleStepLeavesNoTagAndNoOutput() throws Exception {
    f = PublishFixture.create(dir);
    // A tracked file where the bundle puts a folder: writeup/figures/*.svg cannot go into the zip. This fails
    // in Bundle.write, after the writeup, report, results and figures were rendered into the staging folder.
    write(f.root, "writeup/figures", "figures are made by research:publish\n");
    f.commit("A file where the figures go"); // a refused publish (here, a dirty tree) leaves README.md alone
    f.makeReady();

    ResearchException e = assertThrows(ResearchException.class, () -> f.publish(false));
    assertFalse(e instanceof GateException, "not a gate: the failure comes from the bundle");
    assertTrue(e.getMessage().contains("writeup/figures both as a file and as a folder"), e.getMessage());
    assertEquals(List.of(), f.git.tagList().call());
    assertNoPublication();
    assertEquals(Set.of(), names(f.target()), "the staging folder is removed");

    // Fixed, it publishes.
    f.git.rm().addFilepattern("writeup/figures").call();
    f.commit("Remove writeup/figures");
    Publication p = f.publish(false);
    assertTrue(p.tagCreated());
    assertEquals(NAME + "-published-1", p.tag());

    // The same failure on a later commit leaves the previous publication as it was.
    Map<String, String> before = snapshot(f.out());
    write(f.root, "writeup/figures", "again\n");
    f.commit("writeup/figures again");
    ResearchException again = assertThrows(ResearchException.class, () -> f.publish(false));
    assertTrue(again.getMessage().contains("both as a file and as a folder"), again.getMessage());
    assertEquals(List.of(p.tag()), f.git.tagList().call().stream()
        .map(r -> r.getName().substring("refs/tags/".length())).toList());
    assertEquals(before, snapshot(f.out()), "target/publish still holds the previous publication");
    assertEquals(Set.of("publish"), names(f.target()), "the staging folder is removed");
  }

  // ------------------------------------------------------------------------------------ helpers

  /** The rows of the results table, computed here from the metric values. */
  static List<String> expectedRows(double[] method) {
    return List.of(row("baseline", "baseline", BASELINE), row("method", "method", method));
  }

  static String row(String name, String role, double[] v) {
    double m = mean(v);
    double half = T_975_DF2 * sd(v) / Math.sqrt(v.length);
    return String.format(Locale.ROOT, "| %s | %s | %d | %.4f ± %.4f | %.4f to %.4f |", name, role, v.length, m, sd(v),
        m - half, m + half);
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double sd(double[] v) {
    double m = mean(v);
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (v.length - 1));
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  Set<String> usedIds() {
    TreeSet<String> ids = new TreeSet<>();
    f.baselineRuns.forEach(r -> ids.add(r.id()));
    f.methodRuns.forEach(r -> ids.add(r.id()));
    return ids;
  }

  static Set<String> texts(JsonNode array) {
    TreeSet<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static List<String> ordered(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  void assertNoPublication() throws IOException {
    assertFalse(Files.exists(f.out()), "no target/publish");
    if (Files.isDirectory(f.target())) {
      assertEquals(Set.of(), names(f.target()), "no staging folder left in target/");
    }
  }

  static Set<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  /** Every file under {@code folder} with the sha-256 of its content and its modification time. */
  static Map<String, String> snapshot(Path folder) throws Exception {
    Map<String, String> out = new TreeMap<>();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(folder.relativize(p).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))) + " "
            + Files.getLastModifiedTime(p));
      }
    }
    return out;
  }

  static Map<String, byte[]> unzip(Path zip) throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        entries.put(e.getName(), e.isDirectory() ? new byte[0] : z.getInputStream(e).readAllBytes());
      }
    }
    return entries;
  }
}
