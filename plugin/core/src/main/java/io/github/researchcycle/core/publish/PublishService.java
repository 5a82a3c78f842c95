package io.github.researchcycle.core.publish;

import io.github.researchcycle.core.FileTrees;
import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.cycle.ClaimEvaluator;
import io.github.researchcycle.core.cycle.Cycle;
import io.github.researchcycle.core.cycle.MetricPresence;
import io.github.researchcycle.core.cycle.PreRegistration;
import io.github.researchcycle.core.cycle.RunCounts;
import io.github.researchcycle.core.cycle.Statistics;
import io.github.researchcycle.core.cycle.StatusReport;
import io.github.researchcycle.core.descriptor.Completeness;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.CommitFix;
import io.github.researchcycle.core.git.GitHistory;
import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.core.ledger.ClaimFields;
import io.github.researchcycle.core.ledger.Evidence;
import io.github.researchcycle.core.ledger.EvidenceContext;
import io.github.researchcycle.core.ledger.EvidenceGate;
import io.github.researchcycle.core.ledger.LedgerFile;
import io.github.researchcycle.core.ledger.LedgerRecorder;
import io.github.researchcycle.core.render.Templates;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.core.verify.Verification;
import io.github.researchcycle.core.verify.VerifyService;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.MetricsReader;
import io.github.researchcycle.model.RunFiles;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEntry;
import io.github.researchcycle.model.ledger.LedgerEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.eclipse.jgit.lib.Constants;

/**
 * {@code research:publish}: checks the gates (a complete pre-registration, the claim evaluated with
 * every seed, a verified run, every file committed, a current README table, no secret in the tree),
 * then renders the writeup, the report page and results.json from the run records, writes the
 * reproduction bundle and makes an annotated tag. Atomic: everything is made in a temporary folder
 * and moved into {@code target/publish} only once the tag exists; a failure leaves no tag and no
 * bundle, and publishing the same commit twice reuses its tag.
 */
public final class PublishService {
  /** The README markers between which the results table lives. */
  public static final String START = "<!-- research:results:start -->";
  /** The end marker. */
  public static final String END = "<!-- research:results:end -->";

  /** Where {@code research:publish -Dresearch.check=true} looks for the kept rendering by default. */
  public static final String DEFAULT_KEEP = "writeup/published";

  /** The rendered files that {@code copyTo} keeps, besides figures/. */
  static final List<String> KEPT = List.of("post.md", "report.html", "results.json");

  /** The prefix of the temporary folders a publish renders into before the tag is made. */
  static final String STAGING = ".publish-staging-";

  private final RunService runs;
  private final Clock clock;

  /** A service over the run store of {@code runs}. */
  public PublishService(RunService runs, Clock clock) {
    this.runs = runs;
    this.clock = clock;
  }

  /** What both publishing and checking render from: the judged claim and everything the templates need. */
  private record Prepared(Templates templates, Map<String, Object> context, List<RunRecord> used,
      ClaimEvaluator.Evaluation evaluation, Descriptor judged, Descriptor current, List<RunRecord> records,
      Verification verification, String readmeTable, Evidence evidence, PreRegistration pre) {}

  /** Publishes the research repository of the request (or, with {@code check}, compares a kept rendering). */
  public Publication publish(PublishRequest request, Reporter reporter) throws IOException {
    if (request.check()) {
      throw new IllegalArgumentException("a check request goes to check(), not publish()");
    }
    Path root = request.projectDir();
    Path keep = request.copyTo() == null || request.copyTo().isBlank() ? null : keepFolder(root, request.copyTo());
    String name = tagPrefix(request.name() != null && !request.name().isBlank() ? request.name()
        : root.toAbsolutePath().normalize().getFileName().toString());
    String headCommit = GitHistory.headCommit(root).orElse(null);
    Optional<Tagger.Tag> existing = headCommit == null ? Optional.empty()
        : Tagger.findOn(root, headCommit, name + "-published-");
    String tagName = existing.map(Tagger.Tag::name).orElse(name + "-published-" + nextNumber(root, name));
    // Every gate is checked before any refusal, so that one publish names all that is left to do.
    List<String> unmet = new ArrayList<>();
    // The ledger may have grown since the last commit (this publication's own entry): the evidence
    // gate has checked that it only grew.
    GitProvenance git = GitInspector.inspect(root, List.of(RunFiles.LEDGER, RunFiles.LEDGER + Ledger.LOCK_SUFFIX));
    if (!git.clean()) {
      unmet.add("publishing needs every file committed, the run records included, and these are not: "
          + String.join(", ", git.changedFiles()) + ". Fix: "
          + CommitFix.command(git.changedFiles(), "Commit the changes and run records") + ", then publish");
    }
    Prepared p = prepare(root, tagName, unmet);
    List<String> secrets = SecretScan.find(root);
    if (!secrets.isEmpty()) {
      unmet.add("tracked files hold secrets:\n      " + String.join("\n      ", secrets)
          + "\n    Fix: git rm --cached FILE (or take the secret out of it), rotate the secret, add the file to "
          + ".gitignore, commit, then publish; a reviewed false positive goes to " + SecretAllowList.FILE
          + " with its path, rule, fingerprint and reason");
    }
    if (p != null) {
      // The README is rewritten only when nothing else refuses: a refused publish changes nothing.
      checkReadme(root, p.readmeTable(), request.updateReadme() && unmet.isEmpty(), reporter, unmet);
    }
    if (!unmet.isEmpty()) {
      throw refusal(unmet);
    }
    Map<String, Object> context = p.context();
    List<OutsideData.Finding> outside = OutsideData.find(root);
    for (OutsideData.Finding o : outside) {
      reporter.warn(o.manifest() + ": the file source " + o.path() + " lies outside the repository, so this "
          + "publication is not reproducible elsewhere (the writeup and results.json say so; the bundle names no "
          + "folder). Fix: a url source readers can fetch, or -Dresearch.bundle.data=true to put the files in the "
          + "bundle when the licence allows (" + OutsideData.allowList() + ").");
    }

    context.put("commit", git.commit());
    Path target = root.resolve("target");
    Files.createDirectories(target);
    cleanStaleStaging(target);
    Path staging = Files.createTempDirectory(target, STAGING);
    Tagger.Tag tag = null;
    boolean moved = false;
    boolean done = false;
    try {
      context.put("tag", tagName);
      render(root, p, staging, git.commit(), request.pluginVersion(), tagName);
      Path bundle = staging.resolve(name + "-bundle.zip");
      Map<String, Path> extra = new TreeMap<>();
      extra.put("writeup/post.md", staging.resolve("post.md"));
      extra.put("writeup/report.html", staging.resolve("report.html"));
      extra.put("writeup/results.json", staging.resolve("results.json"));
      extra.put("REPRODUCE.md", staging.resolve("REPRODUCE.md"));
      // The ledger as judged (it may be ahead of the commit by entries made since), for a reader's audit.
      Path ledgerCopy = judgedLedger(root, target, tagName);
      if (ledgerCopy != null) {
        extra.put(RunFiles.LEDGER, ledgerCopy);
      }
      try (Stream<Path> figures = Files.list(staging.resolve("figures"))) {
        figures.forEach(f -> extra.put("writeup/figures/" + f.getFileName(), f));
      }
      Path dataTmp = Files.createTempDirectory(target, STAGING + "data-");
      try {
        List<String> dataWarnings = new ArrayList<>();
        Map<String, Path> data = OutsideData.bundleFiles(root, outside, request.bundleData(), dataTmp, dataWarnings);
        dataWarnings.forEach(w -> reporter.warn(w + "."));
        extra.putAll(data);
        long bundled = data.keySet().stream().filter(k -> !k.endsWith(".yaml")).count();
        if (bundled > 0) {
          reporter.info("The bundle carries " + bundled + " data file(s) from outside the repository.");
        }
        Bundle.write(root, git.commit(), bundle, extra);
      } finally {
        FileTrees.delete(dataTmp);
        if (ledgerCopy != null) {
          Files.deleteIfExists(ledgerCopy);
        }
      }
      Path out = target.resolve("publish");
      FileTrees.delete(out);
      Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      // The tag comes last, then its ledger entry: a publish stopped before this point left no
      // publication (the next one renders again); one stopped between the two is completed by the
      // next publish of the same commit, which finds the tag.
      tag = existing.orElse(null);
      if (tag == null) {
        tag = Tagger.tag(root, tagName, tagMessage(p));
      }
      done = true;
      if (keep != null) {
        copyRendering(out, keep);
      }
      recordPublication(root, p, tag.name(), git.commit());
      reporter.info("Rendered target/publish/post.md, report.html, results.json and figures/; bundle target/publish/"
          + bundle.getFileName() + "; tag " + tag.name() + (tag.created() ? " (new)" : " (already there)")
          + "; the publication is in " + RunFiles.LEDGER + ": commit it ("
          + CommitFix.command(List.of(RunFiles.LEDGER), "Record the publication") + ").");
      if (keep != null) {
        reporter.info("Copied the rendering into " + root.relativize(keep) + "/ (" + String.join(", ", KEPT)
            + ", figures/). Commit it: it is what readers of the repository see, and research:publish "
            + "-Dresearch.check=true compares it with the run records.");
      }
      return new Publication(tag.name(), tag.created(), git.commit(), out, out.resolve(bundle.getFileName()),
          p.evaluation().verdict(), p.evaluation().reason());
    } finally {
      if (!done) {
        FileTrees.delete(staging);
        if (moved) {
          FileTrees.delete(target.resolve("publish"));
        }
        if (tag != null && tag.created()) {
          Tagger.delete(root, tag.name());
        }
      }
    }
  }

  /**
   * {@code research:publish -Dresearch.check=true}: renders the writeup, report page, results.json,
   * figures and README table again from the run records, for the publication recorded in the kept
   * rendering's results.json (its commit and tag), into {@code target/publish-check/}, and compares
   * them byte for byte with the committed copy in {@code copyTo} (default {@value #DEFAULT_KEEP}) and
   * the README. Makes no tag and no bundle and changes no file of the repository; the working tree
   * may be dirty. Refuses, naming every file that differs, when they do not match.
   */
  public CheckResult check(PublishRequest request, Reporter reporter) throws IOException {
    Path root = request.projectDir();
    Path keep = keepFolder(root, request.copyTo() == null || request.copyTo().isBlank() ? DEFAULT_KEEP
        : request.copyTo(), false);
    String shown = root.relativize(keep).toString().replace('\\', '/');
    Path kept = keep.resolve("results.json");
    if (!Files.isRegularFile(kept)) {
      throw new GateException(shown + "/results.json is missing, so there is no kept rendering to check. Fix: mvn "
          + "research:publish -Dresearch.copyTo=" + shown + ", then " + keepCommit(shown) + ", then check.");
    }
    Map<?, ?> recorded;
    try {
      recorded = Json.mapper().readValue(kept.toFile(), Map.class);
    } catch (IOException e) {
      throw new ResearchException(shown + "/results.json is not valid JSON: " + e.getMessage()
          + ". Fix: mvn research:publish -Dresearch.copyTo=" + shown + ", then " + keepCommit(shown) + ".", e);
    }
    if (!(recorded.get("commit") instanceof String commit) || !(recorded.get("tag") instanceof String tagName)) {
      throw new GateException(shown + "/results.json lacks the keys commit and tag of its publication. Fix: mvn "
          + "research:publish -Dresearch.copyTo=" + shown + ", then " + keepCommit(shown) + ".");
    }
    try (var repo = GitInspector.open(root)) {
      if (SecretScan.findCommit(repo, commit) == null) {
        throw new GateException(shown + "/results.json names commit " + commit + ", which is not in this repository's "
            + "history (a shallow clone, or a rewritten history); the pre-registration is read from that history too. "
            + "Fix: git fetch --unshallow (or fetch the branch that holds it), then check.");
      }
    }
    Prepared p = prepare(root, tagName);
    p.context().put("commit", commit);
    p.context().put("tag", tagName);
    Path out = root.resolve("target").resolve("publish-check");
    FileTrees.delete(out);
    Files.createDirectories(out);
    render(root, p, out, commit, request.pluginVersion(), tagName);

    List<String> differences = new ArrayList<>();
    TreeMap<String, Path> rendered = new TreeMap<>();
    for (String f : KEPT) {
      rendered.put(f, out.resolve(f));
    }
    try (Stream<Path> figures = Files.list(out.resolve("figures"))) {
      figures.forEach(f -> rendered.put("figures/" + f.getFileName(), f));
    }
    TreeSet<String> committed = new TreeSet<>();
    try (Stream<Path> files = Files.walk(keep)) {
      files.filter(Files::isRegularFile).forEach(f -> committed.add(keep.relativize(f).toString().replace('\\', '/')));
    }
    for (Map.Entry<String, Path> e : rendered.entrySet()) {
      Path mine = keep.resolve(e.getKey());
      if (!Files.isRegularFile(mine)) {
        differences.add(shown + "/" + e.getKey() + " is missing");
      } else {
        String d = Differences.first(Files.readAllBytes(mine), Files.readAllBytes(e.getValue()));
        if (d != null) {
          differences.add(shown + "/" + e.getKey() + " differs (" + d + ")");
        }
      }
    }
    for (String f : committed) {
      if (!rendered.containsKey(f)) {
        differences.add(shown + "/" + f + " is not part of the rendering");
      }
    }
    String readme = readmeDifference(root, p.readmeTable());
    if (readme != null) {
      differences.add(readme);
    }
    String tagNote = tagDifference(root, tagName, commit);
    if (tagNote != null && tagNote.startsWith("!")) {
      differences.add(tagNote.substring(1));
    } else if (tagNote != null) {
      reporter.info(tagNote);
    }
    if (!differences.isEmpty()) {
      throw new GateException("The kept rendering does not match the run records: " + String.join("; ", differences)
          + ". The rendering from the records is in target/publish-check/. Fix: if the records, research.yaml or "
          + "writeup/post.md.vm changed on purpose (or the plugin's templates did), publish again with "
          + "-Dresearch.copyTo=" + shown + " -Dresearch.updateReadme=true, then git add " + shown + " README.md && git "
          + "commit -m \"Keep the published rendering\"; otherwise restore what changed.");
    }
    int files = rendered.size() + 1;
    reporter.info("The kept rendering in " + shown + "/ and README.md's results table match the run records: "
        + files + " files, byte for byte (publication " + tagName + " of commit " + commit.substring(0, 12) + ").");
    return new CheckResult(tagName, commit, files, p.evaluation().verdict(), p.evaluation().reason());
  }

  /**
   * The ledger's lines as this publication judges them, in a temporary file: all of them, or, when
   * the publication is recorded already (published again), those before its own entry; null
   * without a ledger.
   */
  private static Path judgedLedger(Path root, Path target, String tagName) throws IOException {
    Ledger ledger = Ledger.read(LedgerRecorder.file(root));
    if (ledger.size() == 0) {
      return null;
    }
    int upTo = ledger.size();
    for (LedgerEntry e : ledger.entries()) {
      if (e.event() instanceof LedgerEvent.Published p && p.tag().equals(tagName)) {
        upTo = e.seq() - 1;
        break;
      }
    }
    Path copy = Files.createTempFile(target, ".ledger-judged-", ".jsonl");
    StringBuilder text = new StringBuilder();
    ledger.lines().subList(0, upTo).forEach(l -> text.append(l).append('\n'));
    Files.writeString(copy, text, StandardCharsets.UTF_8);
    return copy;
  }

  /** Removes staging folders that a stopped publish left behind (older than a few minutes). */
  private void cleanStaleStaging(Path target) throws IOException {
    try (Stream<Path> dirs = Files.list(target)) {
      for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith(STAGING)).toList()) {
        if (Files.getLastModifiedTime(d).toInstant().isBefore(clock.instant().minus(Duration.ofMinutes(10)))) {
          FileTrees.delete(d);
        }
      }
    }
  }

  /** One refusal naming every unmet gate, each with its fix, numbered. */
  static GateException refusal(List<String> unmet) {
    if (unmet.size() == 1) {
      String only = unmet.get(0);
      return new GateException("Refusing to publish: " + only + (only.endsWith(".") ? "" : "."));
    }
    StringBuilder out = new StringBuilder("Refusing to publish: " + CommitFix.gates(unmet.size())
        + " not passed (nothing was changed):");
    for (int i = 0; i < unmet.size(); i++) {
      String u = unmet.get(i);
      out.append("\n  ").append(i + 1).append(". ").append(u).append(u.endsWith(".") ? "" : ".");
    }
    return new GateException(out.toString());
  }

  /** As {@link #prepare(Path, String, List)}, refusing at once. */
  private Prepared prepare(Path root, String tagName) throws IOException {
    List<String> unmet = new ArrayList<>();
    Prepared p = prepare(root, tagName, unmet);
    if (!unmet.isEmpty()) {
      throw refusal(unmet);
    }
    return p;
  }

  /**
   * Everything before the first rendering: gates about the claim, the judged claim, the template
   * context. Each unmet gate is added to {@code unmet}; null when one leaves nothing to render from.
   */
  private Prepared prepare(Path root, String tagName, List<String> unmet) throws IOException {
    Descriptor current = DescriptorLoader.load(root);
    List<String> missing = Completeness.missing(current);
    if (!missing.isEmpty()) {
      unmet.add("publishing needs a complete pre-registration; research.yaml lacks " + String.join(", ", missing)
          + ". Fix: fill them in, then git add research.yaml && git commit -m \"Complete the pre-registration\"");
      return null;
    }
    RunStore store = runs.store(root);
    List<RunRecord> all = store.list();
    String head = GitHistory.headCommit(root).orElse(null);
    Set<String> claimExperiments = Evidence.claimExperiments(current.method(), current.baseline());
    Evidence evidence = Evidence.gather(root, all, claimExperiments, head);
    int seedsNeeded = current.seeds() == null ? ClaimEvaluator.DEFAULT_SEEDS : current.seeds();
    List<String> refusals = new ArrayList<>(EvidenceGate.refusals(root, evidence, claimExperiments, seedsNeeded,
        head));
    MetricPresence.problem(current, all).ifPresent(refusals::add);
    if (!refusals.isEmpty()) {
      unmet.add("the record does not hold together (no flag skips this): " + String.join("; ", refusals));
      return null;
    }
    // Every run of the claim experiments at the current code and config counts; the rest are shown.
    List<RunRecord> records = evidence.usable(all);
    PreRegistration pre = evidence.preRegistration(root, current, records).orElse(null);
    // The verdict judges the claim as pre-registered; an edited claim is shown beside it.
    Descriptor judged = pre != null && pre.registered() != null && pre.registered().claim() != null
        && pre.registered().metric() != null ? pre.registered() : current;
    ClaimEvaluator.Evaluation evaluation = ClaimEvaluator.evaluate(judged, records);
    ClaimEvaluator.Evaluation asEdited = pre != null && pre.changed() ? ClaimEvaluator.evaluate(current, records) : null;
    List<ClaimEvaluator.Sample> samples = samples(evaluation);
    List<String> lacking = samples.stream().filter(s -> s.values().length < evaluation.seedsRequired())
        .map(s -> "`" + s.experiment() + "` has " + s.values().length).toList();
    if (!lacking.isEmpty()) {
      unmet.add("gate RUNNING -> CONCLUDED: the claim needs " + evaluation.seedsRequired() + " finished clean runs "
          + "of each experiment, and " + String.join(", ", lacking) + ". Fix: "
          + Cycle.status(root, current, records, clock.instant()).gate().command()
          + ", then " + CommitFix.command(List.of("runs", RunFiles.LEDGER), "Record the runs"));
    }
    List<RunRecord> used = samples.stream().flatMap(s -> s.used().stream()).toList();
    Optional<Verification> verification = used.stream()
        .filter(r -> VerifyService.verified(store.dir(r.id())))
        .map(r -> readVerification(store.dir(r.id())))
        .max(Comparator.comparing(Verification::verifiedAt));
    if (verification.isEmpty()) {
      unmet.add("gate CONCLUDED -> PUBLISHED: no run of the claim is verified. Fix: mvn research:verify"
          + " (re-runs the newest method run from its commit and compares every metric), then "
          + CommitFix.command(List.of("runs", RunFiles.LEDGER), "Record the verification") + ", then publish");
    }

    Templates templates = new Templates(root.resolve("writeup/templates"));
    Map<String, Object> context = context(current, evaluation, asEdited, pre, all, used, verification.orElse(null));
    EvidenceContext.put(context, evidence, all, evaluation.metric(), tagName);
    // A table ends with a newline, so that the line after ${resultsTable} in a template starts a new block
    // (Markdown would otherwise take it as one more table row: a figure or a sentence inside the table).
    context.put("dataOutside", OutsideData.find(root).stream().map(OutsideData.Finding::note).toList());
    context.put("resultsTable", templates.render("publish/results-table.md.vm", context).strip() + "\n");
    context.put("runsTable", templates.render("publish/runs-table.md.vm", context).strip() + "\n");
    String readmeTable = templates.render("publish/readme-results.md.vm", context).strip();
    return new Prepared(templates, context, used, evaluation, judged, current, records, verification.orElse(null),
        readmeTable, evidence, pre);
  }

  /** The kept rendering's folder, inside the research folder and outside runs/ and target/. */
  static Path keepFolder(Path root, String relative) {
    return keepFolder(root, relative, true);
  }

  /**
   * As {@link #keepFolder(Path, String)}; when only {@code reading} (the check), a folder holding
   * other files is accepted, since nothing in it is replaced (the check then names those files).
   */
  static Path keepFolder(Path root, String relative, boolean writing) {
    Path r = root.toAbsolutePath().normalize();
    Path folder;
    try {
      folder = r.resolve(relative.strip()).normalize();
    } catch (InvalidPathException e) {
      folder = null;
    }
    boolean reserved = folder == null || !folder.startsWith(r) || folder.equals(r);
    if (!reserved) {
      Path first = r.relativize(folder).getName(0);
      reserved = first.toString().startsWith(".") || List.of("runs", "target", "src", "experiments", "launch", "data")
          .contains(first.toString()) || folder.equals(r.resolve("writeup")) || folder.equals(r.resolve("writeup/templates"))
          || Files.isRegularFile(folder);
    }
    if (!reserved && writing && Files.isDirectory(folder)) {
      // Only a folder this goal made (nothing in it but the kept files and figures/) is replaced.
      try (Stream<Path> entries = Files.list(folder)) {
        reserved = entries.map(e -> e.getFileName().toString())
            .anyMatch(n -> !KEPT.contains(n) && !n.equals("figures"));
      } catch (IOException e) {
        reserved = true;
      }
    }
    if (reserved) {
      throw new ResearchException("research.copyTo must be a new folder inside the research repository, or one that "
          + "holds only an earlier copy (" + String.join(", ", KEPT) + ", figures/); not a dot-folder, runs/, src/, "
          + "target/, experiments/, launch/, data/ or writeup/ itself. Found '" + relative + "'. Fix: -Dresearch.copyTo="
          + DEFAULT_KEEP + ".");
    }
    return folder;
  }

  /** Replaces {@code keep} with the rendered post.md, report.html, results.json and figures/ of {@code out}. */
  private static void copyRendering(Path out, Path keep) throws IOException {
    // keepFolder made sure the folder holds nothing else: only the earlier copy is removed.
    for (String f : KEPT) {
      Files.deleteIfExists(keep.resolve(f));
    }
    FileTrees.delete(keep.resolve("figures"));
    Files.createDirectories(keep.resolve("figures"));
    for (String f : KEPT) {
      Files.copy(out.resolve(f), keep.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    try (Stream<Path> figures = Files.list(out.resolve("figures"))) {
      for (Path f : (Iterable<Path>) figures::iterator) {
        Files.copy(f, keep.resolve("figures").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Null when README.md's results block is the rendered one, else what is wrong with it. */
  private static String readmeDifference(Path root, String table) throws IOException {
    Path readme = root.resolve("README.md");
    String text = Files.exists(readme) ? Files.readString(readme, StandardCharsets.UTF_8) : "";
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    if (start < 0 || end < start) {
      return "README.md has no results table (no " + START + " marker)";
    }
    String block = START + "\n" + table + "\n" + END;
    String found = text.substring(start, end + END.length());
    String d = Differences.first(found.getBytes(StandardCharsets.UTF_8), block.getBytes(StandardCharsets.UTF_8));
    return d == null ? null : "README.md's results table differs (" + d + ")";
  }

  /**
   * Null when the tag is on the commit; a note when this clone lacks the tag; a difference (starting
   * with '!') when the tag is on another commit.
   */
  private static String tagDifference(Path root, String tagName, String commit) {
    try (var repo = GitInspector.open(root)) {
      var ref = repo.exactRef(Constants.R_TAGS + tagName);
      if (ref == null) {
        return "The tag " + tagName + " is not in this clone (tags are not always fetched); the commit it names, "
            + commit.substring(0, 12) + ", was not compared with a tag.";
      }
      var peeled = repo.getRefDatabase().peel(ref);
      var target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
      return target.name().equals(commit) ? null
          : "!the tag " + tagName + " is on commit " + target.name().substring(0, 12) + ", not on " + commit.substring(0, 12)
              + " as results.json says";
    } catch (IOException e) {
      throw new ResearchException("cannot read the git tags: " + e.getMessage(), e);
    }
  }

  private static List<ClaimEvaluator.Sample> samples(ClaimEvaluator.Evaluation e) {
    return e.baseline() == null ? List.of(e.method()) : List.of(e.baseline(), e.method());
  }

  private static Verification readVerification(Path runDir) {
    try {
      return Json.mapper().readValue(runDir.resolve(VerifyService.FILE).toFile(), Verification.class);
    } catch (IOException e) {
      throw new ResearchException(runDir.resolve(VerifyService.FILE) + " is unreadable: " + e.getMessage(), e);
    }
  }

  /** Keeps the README's results table in step, or refuses a stale one. */
  private static void checkReadme(Path root, String table, boolean update, Reporter reporter, List<String> unmet)
      throws IOException {
    Path readme = root.resolve("README.md");
    String text = Files.exists(readme) ? Files.readString(readme, StandardCharsets.UTF_8) : "";
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    String block = START + "\n" + table + "\n" + END;
    boolean current = start >= 0 && end > start && text.substring(start, end + END.length()).equals(block);
    if (current) {
      return;
    }
    if (!update) {
      unmet.add("README.md's results table " + (start < 0 ? "is missing (no " + START + " marker)"
          : "is stale: it does not match the run records") + ". Fix: mvn research:publish "
          + "-Dresearch.updateReadme=true" + (unmet.isEmpty() ? "" : " once the gates above pass") + ", then "
          + README_COMMIT + ", then publish");
      return;
    }
    String updated = start >= 0 && end > start
        ? text.substring(0, start) + block + text.substring(end + END.length())
        : text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + "\n## Results\n\n" + block + "\n";
    Files.writeString(readme, updated, StandardCharsets.UTF_8);
    reporter.info("README.md: results table rewritten from the run records.");
    unmet.add("README.md's results table was rewritten from the run records. Fix: " + README_COMMIT
        + ", then mvn research:publish again");
  }

  /** Commits the kept rendering's folder, new files included. */
  private static String keepCommit(String shown) {
    return "git add " + shown + " && git commit -m \"Keep the published rendering\"";
  }

  /** Commits the README, new or tracked (a first results table may come with a first README). */
  static final String README_COMMIT = "git add README.md && git commit -m \"Update the results table\"";

  private static String tagPrefix(String name) {
    String clean = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
    return clean.isEmpty() ? "research" : clean;
  }

  /**
   * The number after the highest of the publication tags of this name, so that the next one gets a new
   * number even when an older tag was deleted (counting them would then hand out a number in use).
   */
  private static long nextNumber(Path root, String prefix) {
    String start = "refs/tags/" + prefix + "-published-";
    try (var repo = GitInspector.open(root)) {
      long max = 0;
      for (var ref : repo.getRefDatabase().getRefsByPrefix(start)) {
        String n = ref.getName().substring(start.length());
        if (n.matches("\\d{1,18}")) {
          max = Math.max(max, Long.parseLong(n));
        }
      }
      // Tags do not travel with a plain clone; the ledger does: never reuse a number it recorded.
      for (LedgerEntry e : Ledger.read(LedgerRecorder.file(root)).entries()) {
        if (e.event() instanceof LedgerEvent.Published p && p.tag().startsWith(prefix + "-published-")) {
          max = Math.max(max, p.number());
        }
      }
      return max + 1;
    } catch (IOException e) {
      throw new ResearchException("cannot list the git tags: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> context(Descriptor d, ClaimEvaluator.Evaluation evaluation,
      ClaimEvaluator.Evaluation asEdited, PreRegistration pre, List<RunRecord> records, List<RunRecord> used,
      Verification verification) {
    Map<String, Object> c = new LinkedHashMap<>();
    Descriptor.Claim claim = d.claim();
    c.put("title", d.title());
    c.put("question", d.question());
    c.put("hypothesis", d.hypothesis());
    c.put("citation", d.paper() == null ? "" : d.paper().citation());
    c.put("verdict", evaluation.verdict().name());
    c.put("reason", evaluation.reason());
    // A sentence of its own: the reason already ends with a full stop.
    c.put("verdictAsEdited", asEdited == null ? "" : asEdited.verdict().name() + ". " + asEdited.reason());
    c.put("metric", evaluation.metric());
    c.put("claimType", claim.type().name().toLowerCase(Locale.ROOT));
    c.put("claimStatement", claim.statement() == null || claim.statement().isBlank()
        ? "The " + d.method() + " experiment " + (claim.type() == Descriptor.ClaimType.IMPROVE
            ? "improves on " + d.baseline() : "reproduces the reported value") + "."
        : claim.statement());
    c.put("criterion", criterion(pre != null && pre.registered() != null ? pre.registered() : d, evaluation));
    if (pre != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("commit", pre.commit().substring(0, 12));
      p.put("firstRun", pre.firstRun());
      p.put("changed", pre.changed());
      p.put("changes", pre.changes());
      c.put("preRegistration", p);
    }
    c.put("experiments", experiments(evaluation, PublishService::num));
    if (d.claim().type() == Descriptor.ClaimType.REPRODUCE) {
      c.put("reported", num(d.claim().reported()));
      c.put("tolerance", num(d.claim().tolerance() == null ? 0 : d.claim().tolerance()));
    }
    List<Map<String, Object>> counts = new ArrayList<>();
    double compute = 0;
    int tried = 0;
    int notFinished = 0;
    for (Map.Entry<String, RunCounts> e : RunCounts.of(records).entrySet()) {
      RunCounts rc = e.getValue();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e.getKey());
      m.put("tried", rc.tried());
      m.put("finished", rc.finished());
      m.put("failed", rc.failed());
      m.put("crashed", rc.crashed());
      m.put("interrupted", rc.interrupted());
      m.put("dirty", rc.dirty());
      m.put("compute", StatusReport.duration(Duration.ofMillis(Math.round(rc.computeSeconds() * 1000))));
      counts.add(m);
      compute += rc.computeSeconds();
      tried += rc.tried();
      notFinished += rc.tried() - rc.finished();
    }
    c.put("counts", counts);
    c.put("runsTried", tried);
    c.put("runsNotFinished", notFinished);
    c.put("runsUsed", used.size());
    c.put("compute", StatusReport.duration(Duration.ofMillis(Math.round(compute * 1000))));
    // Without a verification (a gate then refuses) the context still serves the README table check.
    if (verification != null) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("run", verification.run());
      v.put("commit", verification.commit().substring(0, 12));
      v.put("summary", verification.trajectoryIdentical() ? "every logged value was bit-identical"
          : "every final metric within " + verification.tolerance());
      c.put("verification", v);
    }
    RunRecord verifiedRun = used.stream().filter(r -> verification != null && r.id().equals(verification.run()))
        .findFirst().orElse(used.get(0));
    c.put("environment", environment(verifiedRun));
    c.put("runIds", used.stream().map(RunRecord::id).toList());
    return c;
  }

  static String criterion(Descriptor d, ClaimEvaluator.Evaluation e) {
    Descriptor.Claim claim = d.claim();
    if (claim.type() == Descriptor.ClaimType.IMPROVE) {
      return String.format(Locale.ROOT, "the 95 %% interval of the difference in %s (%s minus %s, %s is better) lies "
          + "above a margin of %s", e.metric(), d.method(), d.baseline(), e.higherIsBetter() ? "higher" : "lower",
          num(claim.margin() == null ? 0 : claim.margin()));
    }
    return String.format(Locale.ROOT, "the 95 %% interval of the mean %s of %s lies within %s ± %s", e.metric(),
        d.method(), num(claim.reported()), num(claim.tolerance() == null ? 0 : claim.tolerance()));
  }

  static String environment(RunRecord r) {
    Map<String, Object> env = r.environment() == null ? Map.of() : r.environment();
    return String.format(Locale.ROOT, "Java %s (%s); %s %s through DJL %s; %s %s; %s CPUs; heap %s; devices %s.",
        env.get("java"), env.get("javaVendor"), env.get("engine"), env.get("engineVersion"), env.get("djl"),
        env.get("os"), env.get("arch"), env.get("cpus"),
        env.get("maxHeapBytes") instanceof Number n ? String.format(Locale.ROOT, "%.1f GiB", n.doubleValue() / (1 << 30))
            : "unknown", env.get("devices"));
  }

  static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private void render(Path root, Prepared p, Path out, String commit, String pluginVersion, String tagName)
      throws IOException {
    Templates templates = p.templates();
    Map<String, Object> context = p.context();
    List<RunRecord> used = p.used();
    ClaimEvaluator.Evaluation evaluation = p.evaluation();
    Descriptor judged = p.judged();
    Verification verification = p.verification();
    Path figures = out.resolve("figures");
    Files.createDirectories(figures);
    Map<String, double[]> groups = new LinkedHashMap<>();
    for (ClaimEvaluator.Sample s : samples(evaluation)) {
      groups.put(s.experiment(), s.values());
    }
    Map<String, Double> references = new LinkedHashMap<>();
    if (judged.claim().type() == Descriptor.ClaimType.REPRODUCE) {
      references.put("paper " + num(judged.claim().reported()), judged.claim().reported());
    } else if (evaluation.baseline() != null) {
      references.put("baseline mean", evaluation.baseline().summary().mean());
    }
    Figures.Figure seeds = Figures.perSeed(figures, "per-seed", evaluation.metric() + " per seed", evaluation.metric(),
        groups, references);
    List<Figures.Series> curves = new ArrayList<>();
    for (ClaimEvaluator.Sample s : samples(evaluation)) {
      curves.addAll(meanCurve(root, s, evaluation.metric()));
    }
    Figures.Figure lc = Figures.lines(figures, "learning-curves", evaluation.metric() + " by epoch (mean over seeds)",
        "epoch", evaluation.metric(), curves);
    context.put("figureSeeds", Map.of("title", seeds.title(), "path", "figures/" + seeds.svg().getFileName()));
    context.put("figureCurves", Map.of("title", lc.title(), "path", "figures/" + lc.svg().getFileName()));

    Path post = root.resolve("writeup/post.md.vm");
    String markdown = Files.isRegularFile(post)
        ? templates.renderFile(post, "writeup/post.md.vm", context)
        : templates.render("writeup/post.md.vm", context);
    @SuppressWarnings("unchecked")
    List<String> dataNotes = (List<String>) context.getOrDefault("dataOutside", List.of());
    if (!dataNotes.isEmpty()) {
      // Not left to the template: a result that cannot be reproduced elsewhere always says so.
      markdown = markdown.stripTrailing() + "\n\n**Data outside the repository.** " + String.join(" ", dataNotes)
          + "\n";
    }
    Files.writeString(out.resolve("post.md"), markdown, StandardCharsets.UTF_8);

    var extensions = List.of(TablesExtension.create());
    String body = HtmlRenderer.builder().extensions(extensions).escapeHtml(true).build()
        .render(Parser.builder().extensions(extensions).build().parse(markdown));
    for (Figures.Figure f : List.of(seeds, lc)) {
      String data = "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(f.svg()));
      body = body.replace("src=\"figures/" + f.svg().getFileName() + "\"", "src=\"" + data + "\"");
    }
    Map<String, Object> page = new LinkedHashMap<>(context);
    page.put("body", body);
    Files.writeString(out.resolve("report.html"), templates.render("publish/report.html.vm", page),
        StandardCharsets.UTF_8);
    Files.writeString(out.resolve("REPRODUCE.md"), templates.render("publish/reproduce.md.vm", context),
        StandardCharsets.UTF_8);

    Map<String, Object> results = new LinkedHashMap<>();
    results.put("title", context.get("title"));
    results.put("commit", commit);
    results.put("tag", tagName);
    results.put("verdict", evaluation.verdict().name());
    results.put("reason", evaluation.reason());
    results.put("metric", evaluation.metric());
    results.put("higherIsBetter", evaluation.higherIsBetter());
    results.put("claim", judged.claim());
    results.put("preRegistration", context.get("preRegistration"));
    results.put("experiments", experimentNumbers(evaluation));
    results.put("welch", evaluation.welch());
    results.put("runsUsed", used.stream().map(RunRecord::id).toList());
    results.put("claimChanges", p.pre() == null ? List.of() : p.pre().changes());
    results.put("claimRuns", claimRunNumbers(context.get("claimRuns")));
    results.put("earlierPublications", context.get("earlierPublications"));
    results.put("ledger", context.get("ledger"));
    results.put("runs", context.get("counts"));
    results.put("verification", verification);
    results.put("dataOutsideRepository", dataNotes);
    results.put("renderedBy", "research-maven-plugin " + pluginVersion);
    Json.writeAtomically(out.resolve("results.json"), results);
  }

  /**
   * The experiments of the claim with their statistics as JSON numbers, full precision (the
   * templates show them as text with four decimals; results.json is read by programs). NaN is null.
   */
  static List<Map<String, Object>> experimentNumbers(ClaimEvaluator.Evaluation evaluation) {
    return experiments(evaluation, PublishService::finite);
  }

  /** The experiments of the claim with their statistics, each number as {@code format} writes it. */
  private static List<Map<String, Object>> experiments(ClaimEvaluator.Evaluation evaluation,
      java.util.function.DoubleFunction<Object> format) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ClaimEvaluator.Sample s : samples(evaluation)) {
      Statistics.Summary sum = s.summary();
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", s.experiment());
      e.put("role", s == evaluation.method() ? "method" : "baseline");
      e.put("n", sum.n());
      e.put("mean", format.apply(sum.mean()));
      e.put("sd", format.apply(sum.sd()));
      e.put("ciLow", format.apply(sum.ciLow()));
      e.put("ciHigh", format.apply(sum.ciHigh()));
      out.add(e);
    }
    return out;
  }

  /** The claim's run rows with the metric as a JSON number (null when the run has none), not as text. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> claimRunNumbers(Object rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> row : rows == null ? List.<Map<String, Object>>of() : (List<Map<String, Object>>) rows) {
      Map<String, Object> copy = new LinkedHashMap<>(row);
      copy.put("metric", copy.remove("metricValue"));
      out.add(copy);
    }
    return out;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** One run's metrics.jsonl and its configured number of epochs (0 when the config does not say). */
  record RunLines(int epochs, List<MetricLine> lines) {}

  /**
   * The last training epoch (0-based) of a run: from training.epochs, or else the last epoch at which
   * a metric logged at several epochs (a per-epoch metric other than {@code metric}) was logged.
   */
  private static int lastTrainingEpoch(RunLines run, String metric) {
    if (run.epochs() > 0) {
      return run.epochs() - 1;
    }
    Map<String, TreeSet<Integer>> epochs = new TreeMap<>();
    for (MetricLine l : run.lines()) {
      if (!l.name().equals(metric) && l.epoch() >= 0) {
        epochs.computeIfAbsent(l.name(), k -> new TreeSet<>()).add(l.epoch());
      }
    }
    return epochs.values().stream().filter(e -> e.size() > 1).mapToInt(TreeSet::last)
        .max().orElse(Integer.MAX_VALUE);
  }

  /** The mean over seeds of the metric per epoch, from each used run's metrics.jsonl. */
  private static List<Figures.Series> meanCurve(Path root, ClaimEvaluator.Sample s, String metric) throws IOException {
    List<RunLines> perRun = new ArrayList<>();
    for (RunRecord r : s.used()) {
      int epochs = r.config() == null ? 0 : r.config().at("/training/epochs").asInt(0);
      perRun.add(new RunLines(epochs, MetricsReader.read(root.resolve("runs").resolve(r.id()).resolve(RunStore.METRICS))));
    }
    return meanCurve(s.experiment() + " (n = " + s.used().size() + ")", perRun, metric);
  }

  /**
   * The mean over runs of {@code metric} per epoch (1-based). A value logged after the last training
   * epoch (the test pass: the runtime logs it at epoch = the number of epochs) is drawn at the last
   * epoch, not one past it; beside a per-epoch curve it is a separate "test" point.
   */
  static List<Figures.Series> meanCurve(String label, List<RunLines> perRun, String metric) {
    TreeMap<Integer, double[]> during = new TreeMap<>();
    double[] after = new double[2];
    int lastEpoch = -1;
    for (RunLines run : perRun) {
      int trained = lastTrainingEpoch(run, metric);
      for (MetricLine l : run.lines()) {
        if (!l.name().equals(metric) || l.epoch() < 0) {
          continue;
        }
        if (l.epoch() > trained) {
          after[0] += l.value();
          after[1]++;
          lastEpoch = Math.max(lastEpoch, trained);
        } else {
          double[] acc = during.computeIfAbsent(l.epoch(), k -> new double[2]);
          acc[0] += l.value();
          acc[1]++;
        }
      }
    }
    List<Figures.Series> series = new ArrayList<>();
    if (!during.isEmpty()) {
      double[] x = new double[during.size()];
      double[] y = new double[during.size()];
      int i = 0;
      for (Map.Entry<Integer, double[]> e : during.entrySet()) {
        x[i] = e.getKey() + 1;
        y[i] = e.getValue()[0] / e.getValue()[1];
        i++;
      }
      series.add(new Figures.Series(label, x, y));
    }
    if (after[1] > 0) {
      series.add(new Figures.Series(during.isEmpty() ? label : label + ", test after training",
          new double[] {lastEpoch + 1}, new double[] {after[0] / after[1]}));
    }
    if (series.isEmpty()) {
      series.add(new Figures.Series(label, new double[0], new double[0]));
    }
    return series;
  }

  private static String tagMessage(Prepared p) {
    StringBuilder m = new StringBuilder("Research Cycle publication: ").append(p.current().title())
        .append("\n\nVerdict: ").append(p.evaluation().verdict()).append("\n").append(p.evaluation().reason());
    if (p.pre() != null && p.pre().changed()) {
      m.append("\n\nThe claim changed after its pre-registration (the verdict judges the pre-registered one): ")
          .append(String.join("; ", p.pre().changes()));
    }
    for (LedgerEvent.Published earlier : p.evidence().publications()) {
      m.append("\nEarlier publication ").append(earlier.number()).append(": ").append(earlier.tag()).append(", ")
          .append(earlier.verdict());
    }
    m.append("\n\nRuns used: ").append(p.used().size()).append("; verified run: ").append(p.verification().run())
        .append("\nLedger judged: ").append(p.evidence().ledger().size()).append(" entries, head ")
        .append(p.evidence().ledger().head()).append("\n");
    return m.toString();
  }

  /** Records the publication in the ledger, unless it is there already (a publish run again on its tag). */
  private void recordPublication(Path root, Prepared p, String tagName, String commit) throws IOException {
    Ledger ledger = Ledger.read(LedgerRecorder.file(root));
    boolean known = ledger.entries().stream()
        .anyMatch(e -> e.event() instanceof LedgerEvent.Published x && x.tag().equals(tagName));
    if (known) {
      return;
    }
    new LedgerRecorder(root, clock).recordClaim(commit);
    int number = Tagger.publishedNumber(tagName);
    if (number == 0) {
      number = p.evidence().publications().size() + 1;
    }
    Map<String, String> registered = p.evidence().registeredClaim() != null ? p.evidence().registeredClaim()
        : ClaimFields.of(p.judged());
    LedgerFile.append(root, new LedgerEvent.Published(number, tagName,
        p.evaluation().verdict().name(), registered, p.pre() == null ? List.of() : p.pre().changes(),
        p.context().get("verdictAsEdited") == null || p.context().get("verdictAsEdited").toString().isEmpty() ? null
            : p.context().get("verdictAsEdited").toString(),
        commit, ledger.head(), p.used().stream().map(RunRecord::id).toList(), null), clock.instant());
  }
}
