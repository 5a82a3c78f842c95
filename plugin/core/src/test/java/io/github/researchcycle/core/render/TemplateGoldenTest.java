package io.github.researchcycle.core.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bundled template but the launch script (see {@link LaunchScriptTest}) rendered with fixed,
 * realistic values and compared byte for byte with a golden file under {@code src/test/resources/golden/}.
 * The values mirror what {@code PublishService.context(...)} and {@code Journal.append(...)} put in the
 * context; the title carries HTML, quotes, non-ASCII text, a {@code $} and a {@code #}, which must come
 * out as they are (Velocity never evaluates a value). Every golden Markdown file must parse with
 * CommonMark (GFM tables) with each table a {@code <table>}, that is, followed by a blank line.
 *
 * <p>To regenerate the golden files after an intended template change, run the tests with
 * {@code -Dgolden.update=true} and review the diff.
 */
class TemplateGoldenTest {
  static final boolean UPDATE = Boolean.getBoolean("golden.update");
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final List<Extension> GFM = List.of(TablesExtension.create());

  static final String TITLE = "Warm restarts <b>&\"'</b> für Adam — naïve SGDR, $5 budget, run #1";
  static final String COMMIT = "9b0e4d2a6c13f7e8a1b2c3d4e5f60718293a4b5c";
  static final String TAG = "sgdr-adam-published-1";
  static final List<String> RUN_IDS = List.of(
      "20261120-141502-118-q7m2x9ka", "20261120-142010-604-b3n8c1wd", "20261120-142533-271-h6t0p4ze",
      "20261120-143101-937-m1r5v8qy", "20261120-143629-045-x2k7d3js", "20261121-090215-380-f9w4a6un",
      "20261121-091040-712-l5c2e8tb", "20261121-092511-153-s8y1g0mv", "20261121-093344-502-c8d1e7fz",
      "20261121-094217-866-r0j3q5hk");

  @TempDir Path tmp;

  // ------------------------------------------------------------------------------ the context values

  static Map<String, Object> experiment(String name, String role, int n, String mean, String sd, String ciLow,
      String ciHigh) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", name);
    e.put("role", role);
    e.put("n", n);
    e.put("mean", mean);
    e.put("sd", sd);
    e.put("ciLow", ciLow);
    e.put("ciHigh", ciHigh);
    return e;
  }

  static Map<String, Object> count(String name, int tried, int finished, int failed, int crashed, int interrupted,
      int dirty, String compute) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("tried", tried);
    m.put("finished", finished);
    m.put("failed", failed);
    m.put("crashed", crashed);
    m.put("interrupted", interrupted);
    m.put("dirty", dirty);
    m.put("compute", compute);
    return m;
  }

  static Map<String, Object> preRegistration(List<String> changes) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("commit", "3f2a9c1d7e4b");
    p.put("firstRun", RUN_IDS.get(0));
    p.put("changed", !changes.isEmpty());
    p.put("changes", changes);
    return p;
  }

  /**
   * What PublishService puts in the context before rendering the tables, for an {@code improve} claim
   * (method against baseline) or a {@code reproduce} claim (method against the paper's number).
   */
  static Map<String, Object> context(boolean reproduce) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("title", TITLE);
    c.put("question", "Does cosine annealing with warm restarts (SGDR) raise Adam's test accuracy on "
        + "Fashion-MNIST over a constant learning rate?");
    c.put("hypothesis", "Restarts let the optimiser leave sharp minima, so the final accuracy rises by more "
        + "than 0.4 points at the same budget.");
    c.put("citation", "Loshchilov & Hutter (2017), SGDR: Stochastic Gradient Descent with Warm Restarts, ICLR.");
    c.put("metric", "test_accuracy");
    if (reproduce) {
      c.put("verdict", "POSITIVE");
      c.put("reason", "Reproduced: test_accuracy = 0.9902 ± 0.0007 over 5 seeds (95 % CI 0.9893 to 0.9911) "
          + "against the reported 0.9905 ± 0.0020.");
      c.put("verdictAsEdited", "");
      c.put("claimType", "reproduce");
      c.put("claimStatement", "LeNet-5 reaches the paper's 99.05 % test accuracy on MNIST.");
      c.put("criterion", "the 95 % interval of the mean test_accuracy of lenet5 lies within 0.9905 ± 0.0020");
      c.put("preRegistration", preRegistration(List.of()));
      c.put("experiments", List.of(experiment("lenet5", "method", 5, "0.9902", "0.0007", "0.9893", "0.9911")));
      c.put("reported", "0.9905");
      c.put("tolerance", "0.0020");
    } else {
      c.put("verdict", "POSITIVE");
      c.put("reason", "Positive: the method's advantage over the baseline (method minus baseline) is 0.0075 "
          + "(95 % CI 0.0046 to 0.0104, Welch p = 0.000182) against a margin of 0.0040.");
      c.put("verdictAsEdited", "");
      c.put("claimType", "improve");
      c.put("claimStatement", "SGDR raises Adam's mean test accuracy by more than 0.4 points.");
      c.put("criterion", "the 95 % interval of the difference in test_accuracy (adam-sgdr minus adam-constant, "
          + "higher is better) lies above a margin of 0.0040");
      c.put("preRegistration", preRegistration(List.of()));
      c.put("experiments", List.of(
          experiment("adam-constant", "baseline", 5, "0.8912", "0.0021", "0.8886", "0.8938"),
          experiment("adam-sgdr", "method", 5, "0.8987", "0.0018", "0.8965", "0.9009")));
    }
    c.put("counts", List.of(
        count("adam-constant", 6, 5, 0, 1, 0, 0, "41 min 12 s"),
        count("adam-sgdr", 7, 6, 1, 0, 0, 1, "46 min 3 s"),
        count("smoke", 3, 3, 0, 0, 0, 0, "14 s")));
    c.put("runsTried", 16);
    c.put("runsNotFinished", 2);
    c.put("runsUsed", 10);
    c.put("compute", "1 h 27 min");
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("run", RUN_IDS.get(8));
    v.put("commit", "9b0e4d2a6c13");
    v.put("summary", "every logged value was bit-identical");
    c.put("verification", v);
    c.put("environment", "Java 17.0.12 (Eclipse Adoptium); PyTorch 2.5.1 through DJL 0.31.0; Linux amd64; "
        + "16 CPUs; heap 4.0 GiB; devices [cpu()].");
    c.put("runIds", RUN_IDS);
    return c;
  }

  /** The full context, as PublishService has it when it renders the post, the page and REPRODUCE.md. */
  static Map<String, Object> published(Map<String, Object> c) {
    Templates t = new Templates(null);
    c.put("resultsTable", t.render("publish/results-table.md.vm", c).strip() + "\n");
    c.put("runsTable", t.render("publish/runs-table.md.vm", c).strip() + "\n");
    c.put("commit", COMMIT);
    c.put("tag", TAG);
    c.put("figureSeeds", Map.of("title", "test_accuracy per seed", "path", "figures/per-seed.svg"));
    c.put("figureCurves", Map.of("title", "test_accuracy by epoch (mean over seeds)",
        "path", "figures/learning-curves.svg"));
    return c;
  }

  static Map<String, Object> journal(boolean dirty) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("date", "2026-11-27 04:12 UTC");
    j.put("commit", "9b0e4d2a6c13");
    j.put("dirty", dirty);
    j.put("message", "Tried lr = 3e-3 with restarts every 10 epochs: the loss went to NaN at epoch 12 ($lr too "
        + "high?).\n#2 next: halve it, and look at the über-long tail — <b>not</b> a data bug & \"probably\" fine.");
    return j;
  }

  static String render(String name, Map<String, ?> values) {
    return new Templates(null).render(name, values);
  }

  // ------------------------------------------------------------------------------------ the goldens

  @Test
  void postWithUnchangedPreRegistration() throws IOException {
    String post = render("writeup/post.md.vm", published(context(false)));
    assertGolden("post-preregistered.md", post, 2);
    assertTrue(post.startsWith("# " + TITLE + "\n"), "the title as given, $ and # included");
    assertTrue(post.contains("pre-registered at commit `3f2a9c1d7e4b`"));
    assertFalse(post.contains("changed after its pre-registration"));
    String html = html(post);
    assertEquals(2, occurrences(html, "<img "), html);
    assertTrue(html.contains("<p><img src=\"figures/per-seed.svg\" alt=\"test_accuracy per seed\" /></p>"), html);
  }

  @Test
  void postWithChangedPreRegistration() throws IOException {
    Map<String, Object> c = context(false);
    c.put("preRegistration", preRegistration(List.of("claim.margin: 0.004 -> 0.006",
        "claim.statement: 'SGDR raises Adam's mean test accuracy by more than 0.4 points.' -> "
            + "'SGDR raises Adam's mean test accuracy by more than 0.6 points.'")));
    c.put("verdictAsEdited", "INCONCLUSIVE. Inconclusive: the method's advantage over the baseline (method minus "
        + "baseline) is 0.0075 (95 % CI 0.0046 to 0.0104, Welch p = 0.000182) against a margin of 0.0060; the "
        + "interval straddles the margin.");
    String post = render("writeup/post.md.vm", published(c));
    assertGolden("post-changed.md", post, 2);
    assertTrue(post.contains("**The claim changed after its pre-registration.**"));
    assertTrue(post.contains("\n- claim.margin: 0.004 -> 0.006\n"));
    assertTrue(post.contains("the verdict would be INCONCLUSIVE. Inconclusive:"));
    String html = html(post);
    assertEquals(1, occurrences(html, "<ul>"), html);
    assertEquals(2, occurrences(html, "<li>"), html);
  }

  @Test
  void postWithoutPreRegistration() {
    Map<String, Object> c = published(context(false));
    c.remove("preRegistration");
    String post = render("writeup/post.md.vm", c);
    assertFalse(post.contains("pre-registered at commit"), post);
    assertFalse(post.contains("changed after its pre-registration"), post);
    assertTrue(post.contains("above a margin of 0.0040.\n\n## Results\n"), post);
  }

  @Test
  void resultsTableOfAnImproveClaim() throws IOException {
    String table = render("publish/results-table.md.vm", context(false));
    assertGolden("results-table-improve.md", table, 1);
    assertFalse(table.contains("| paper |"));
  }

  @Test
  void resultsTableOfAReproduceClaimShowsTheReportedValue() throws IOException {
    String table = render("publish/results-table.md.vm", context(true));
    assertGolden("results-table-reproduce.md", table, 1);
    assertTrue(table.endsWith("| paper | reported | — | 0.9905 | tolerance ± 0.0020 |\n"), table);
  }

  @Test
  void runsTable() throws IOException {
    assertGolden("runs-table.md", render("publish/runs-table.md.vm", context(false)), 1);
  }

  @Test
  void readmeResultsBlock() throws IOException {
    String block = render("publish/readme-results.md.vm", published(context(false)));
    assertGolden("readme-results.md", block, 1);
    assertTrue(block.startsWith("**POSITIVE** — SGDR raises"), block);
  }

  @Test
  void reproduceInstructions() throws IOException {
    String text = render("publish/reproduce.md.vm", published(context(false)));
    assertGolden("reproduce.md", text, 0);
    assertTrue(text.startsWith("# Reproducing: " + TITLE + "\n"), text);
    for (String id : RUN_IDS) {
      assertTrue(text.contains("\n- `" + id + "`\n"), id);
    }
    assertEquals(RUN_IDS.size(), occurrences(html(text), "<li><code>"));
  }

  @Test
  void journalEntryFromACleanTree() throws IOException {
    String entry = render("writeup/journal-entry.md.vm", journal(false));
    assertGolden("journal-entry-clean.md", entry, 0);
    assertTrue(entry.contains("## 2026-11-27 04:12 UTC · commit 9b0e4d2a6c13\n"), entry);
  }

  @Test
  void journalEntryFromADirtyTree() throws IOException {
    String entry = render("writeup/journal-entry.md.vm", journal(true));
    assertGolden("journal-entry-dirty.md", entry, 0);
    assertTrue(entry.contains("## 2026-11-27 04:12 UTC · commit 9b0e4d2a6c13 (with uncommitted changes)\n"), entry);
  }

  /** The page: the title escaped in {@code <title>}, the body (HTML made by CommonMark) inserted as it is. */
  @Test
  void reportPage() throws IOException {
    String body = "<h1>Warm restarts &lt;b&gt;&amp;&quot;'&lt;/b&gt; für Adam — naïve SGDR, $5 budget, run #1</h1>\n"
        + "<p><strong>Verdict: POSITIVE.</strong> Costs ${compute} and $title stay text; so does #if( $x ).</p>\n"
        + "<table>\n<thead>\n<tr>\n<th>experiment</th>\n<th>runs used</th>\n</tr>\n</thead>\n<tbody>\n"
        + "<tr>\n<td>adam-sgdr</td>\n<td>5</td>\n</tr>\n</tbody>\n</table>\n"
        + "<p><img src=\"data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=\" "
        + "alt=\"test_accuracy per seed\" /></p>\n";
    Map<String, Object> page = new LinkedHashMap<>(published(context(false)));
    page.put("body", body);
    String html = render("publish/report.html.vm", page);
    assertGolden("report.html", html, -1);
    assertTrue(html.contains("\n<title>Warm restarts &lt;b&gt;&amp;&quot;&#39;&lt;/b&gt; für Adam — naïve SGDR, "
        + "$5 budget, run #1</title>\n"), html);
    assertFalse(html.contains("<b>"), "the raw title nowhere");
    assertTrue(html.contains("<body>\n<p><span class=\"verdict verdict-POSITIVE\">POSITIVE</span></p>\n" + body
        + "\n<footer>"), html);
    assertEquals(1, occurrences(html, body));
    assertTrue(html.contains("from commit <code>" + COMMIT + "</code>"), html);
  }

  // -------------------------------------------------------------------- overrides and strict mode

  @Test
  void overrideUnderWriteupTemplatesWinsOverTheBundledTemplate() throws IOException {
    Path overrides = tmp.resolve("writeup/templates");
    Files.createDirectories(overrides.resolve("writeup"));
    Files.writeString(overrides.resolve("writeup/post.md.vm"),
        "#set( $h = '#' )\n$h ${title}\n\nOur own article: **${verdict}**.\n", StandardCharsets.UTF_8);
    // Only the relative name counts: a file of the same name elsewhere overrides nothing.
    Files.writeString(overrides.resolve("results-table.md.vm"), "not the results table\n");
    Templates templates = new Templates(overrides);
    Map<String, Object> c = published(context(false));
    assertEquals("# " + TITLE + "\n\nOur own article: **POSITIVE**.\n", templates.render("writeup/post.md.vm", c));
    // The templates not overridden still come from research-templates.
    assertEquals(render("publish/results-table.md.vm", context(false)),
        templates.render("publish/results-table.md.vm", context(false)));
    // An override folder that does not exist changes nothing.
    assertEquals(render("writeup/post.md.vm", c), new Templates(tmp.resolve("nothing-here")).render("writeup/post.md.vm", c));
  }

  @Test
  void undefinedVariableInAnOverrideFailsNamingIt() throws IOException {
    Path overrides = tmp.resolve("writeup/templates");
    Files.createDirectories(overrides.resolve("publish"));
    Files.writeString(overrides.resolve("publish/reproduce.md.vm"), "# ${title}\n\nSee ${bundleUrl}.\n");
    ResearchException e = assertThrows(ResearchException.class,
        () -> new Templates(overrides).render("publish/reproduce.md.vm", published(context(false))));
    assertTrue(e.getMessage().contains("writeup/templates/publish/reproduce.md.vm"), e.getMessage());
    assertTrue(e.getMessage().contains("bundleUrl"), e.getMessage());
  }

  @Test
  void undefinedVariableInABundledTemplateFailsNamingIt() {
    Map<String, Object> c = published(context(false));
    c.remove("verification");
    ResearchException e = assertThrows(ResearchException.class, () -> render("writeup/post.md.vm", c));
    assertTrue(e.getMessage().contains("template writeup/post.md.vm"), e.getMessage());
    assertTrue(e.getMessage().contains("verification"), e.getMessage());
  }

  @Test
  void missingKeyOfAMapValueFailsToo() {
    Map<String, Object> c = published(context(false));
    @SuppressWarnings("unchecked")
    Map<String, Object> v = new LinkedHashMap<>((Map<String, Object>) c.get("verification"));
    v.remove("summary");
    c.put("verification", v);
    ResearchException e = assertThrows(ResearchException.class, () -> render("writeup/post.md.vm", c));
    assertTrue(e.getMessage().contains("template writeup/post.md.vm"), e.getMessage());
    assertTrue(e.getMessage().contains("verification.summary"), e.getMessage());
  }

  // ------------------------------------------------------------------------------------- helpers

  /**
   * Compares {@code rendered} byte for byte with {@code golden/NAME} (rewriting it first under
   * {@code -Dgolden.update=true}); a Markdown golden must also parse into {@code tables} tables.
   */
  static void assertGolden(String name, String rendered, int tables) throws IOException {
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(GOLDEN.resolve(name), rendered, StandardCharsets.UTF_8);
    }
    String golden = golden(name);
    assertEquals(golden, rendered, "golden/" + name);
    assertArrayEquals(golden.getBytes(StandardCharsets.UTF_8), rendered.getBytes(StandardCharsets.UTF_8), name);
    if (name.endsWith(".md")) {
      assertMarkdown(name, golden, tables);
    }
  }

  /** The golden file: the one just written when updating, else the one on the test classpath. */
  static String golden(String name) throws IOException {
    if (UPDATE) {
      return Files.readString(GOLDEN.resolve(name), StandardCharsets.UTF_8);
    }
    try (InputStream in = TemplateGoldenTest.class.getResourceAsStream("/golden/" + name)) {
      assertNotNull(in, "golden/" + name + " on the test classpath (generate it with -Dgolden.update=true)");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The Markdown parses with CommonMark and GFM tables; each table (a header row, a delimiter row, then
   * rows starting with {@code |}) ends at a blank line or the end of the text, and comes out as a
   * {@code <table>} with exactly its own rows, so no following line was taken for one more row.
   */
  static void assertMarkdown(String name, String markdown, int tables) {
    List<String> lines = new ArrayList<>(List.of(markdown.split("\n", -1)));
    int found = 0;
    int rows = 0;
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).matches("\\|(-{3,}\\|)+") && lines.get(i - 1).startsWith("|")) {
        found++;
        rows++;
        int j = i + 1;
        while (j < lines.size() && lines.get(j).startsWith("|")) {
          rows++;
          j++;
        }
        assertTrue(j == lines.size() || lines.get(j).isEmpty(),
            name + ": the table ending at line " + j + " is followed by a blank line, not by: " + lines.get(j));
        i = j;
      }
    }
    assertEquals(tables, found, name + ": tables in the Markdown");
    String html = html(markdown);
    assertEquals(tables, occurrences(html, "<table>"), name + ":\n" + html);
    assertEquals(rows, occurrences(html, "<tr>"), name + ": table rows in\n" + html);
    assertFalse(html.contains("<p>|"), name + ": a table row left as text in\n" + html);
  }

  static String html(String markdown) {
    return HtmlRenderer.builder().extensions(GFM).escapeHtml(true).build()
        .render(Parser.builder().extensions(GFM).build().parse(markdown));
  }

  static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }
}
