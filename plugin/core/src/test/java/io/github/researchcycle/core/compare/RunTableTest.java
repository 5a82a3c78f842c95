package io.github.researchcycle.core.compare;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.compare.RunTable.Format;
import io.github.researchcycle.core.compare.RunTable.Table;
import io.github.researchcycle.model.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTableTest {
  static final String A = "20261127-010000-000-aaaaaaaa";
  static final String B = "20261127-020000-000-bbbbbbbb";
  static final String C = "20261127-030000-000-cccccccc";
  static final String D = "20261127-040000-000-dddddddd";

  @TempDir Path runs;

  /** A run.json in the layout research:run writes, with the fields compare skips in between. */
  static String record(String id, String experiment, String status, long seed, String config, String metrics) {
    return "{\n  \"schema\" : 1,\n  \"id\" : \"" + id + "\",\n"
        + (experiment == null ? "" : "  \"experiment\" : \"" + experiment + "\",\n")
        + "  \"profile\" : \"local\",\n  \"status\" : \"" + status + "\",\n"
        + "  \"git\" : { \"commit\" : \"" + id.substring(Math.max(0, id.length() - 8)).repeat(5) + "\", \"clean\" : " + !B.equals(id)
        + ", \"diffHash\" : null, \"changedFiles\" : [ ] },\n"
        + "  \"config\" : " + config + ",\n"
        + "  \"overrides\" : [ \"training.epochs=55\" ],\n  \"seed\" : " + seed + ",\n"
        + "  \"environment\" : { \"java\" : \"17\", \"devices\" : [ \"cpu()\" ], \"nested\" : [ { \"a\" : [ 1, 2 ] } ] },\n"
        + "  \"launcher\" : { \"target\" : \"local\", \"command\" : [ \"java\", \"-cp\", \"/a.jar:/b.jar\", \"Train\" ] }"
        + (metrics == null ? "" : ",\n  \"finalMetrics\" : " + metrics) + "\n}\n";
  }

  @BeforeEach
  void runs() {
    write(runs, A + "/run.json", record(A, "baseline", "finished", 1,
        "{ \"description\" : \"the baseline\", \"model\" : { \"hidden\" : 64, \"layers\" : 1 },"
            + " \"optimizer\" : { \"name\" : \"adam\", \"lr\" : 0.01 }, \"tags\" : [ \"a\", \"b\" ] }",
        "{ \"loss\" : 0.123456, \"accuracy\" : 0.91 }"));
    write(runs, B + "/run.json", record(B, "wide", "failed", 2,
        "{ \"description\" : \"wide, \\\"very\\\" | wide\", \"model\" : { \"hidden\" : 256, \"layers\" : 1 },"
            + " \"optimizer\" : { \"name\" : \"adam\", \"lr\" : 0.01 }, \"tags\" : [ \"a\", \"b\" ] }",
        "{ \"loss\" : \"NaN\" }"));
    write(runs, C + "/run.json", record(C, "baseline", "running", 3,
        "{ \"description\" : \"the baseline\", \"model\" : { \"hidden\" : 64, \"layers\" : 1 },"
            + " \"optimizer\" : { \"name\" : \"adam,w\", \"lr\" : 0.003 }, \"tags\" : [ \"a\", \"b\" ], \"extra\" : { } }",
        null));
    write(runs, D + "/run.json", record(D, null, "crashed", 4,
        "{ \"model\" : { \"hidden\" : 64, \"layers\" : 1 }, \"optimizer\" : { \"name\" : \"adam\", \"lr\" : 0.01 },"
            + " \"tags\" : [ \"a\", \"b\" ] }",
        "{ \"accuracy\" : 1.5E-5, \"loss\" : -0.00004 }"));
    // Not runs: a folder that is not a run id, a run without run.json, an unreadable record.
    write(runs, "README.md", "runs\n");
    write(runs, "notes/run.json", record("notes", "baseline", "finished", 9, "{ }", null));
    write(runs, "20261127-050000-000-eeeeeeee/output.log", "no record\n");
    write(runs, "20261127-060000-000-ffffffff/run.json", "{ \"id\" : \"20261127-060000-000-ffffffff\", \"config\" : ");
  }

  @Test
  void loadsRowsOldestFirstSkippingWhatIsNotARun() throws IOException {
    Table t = RunTable.load(runs, null, null);
    assertEquals(List.of(A, B, C, D), t.rows().stream().map(RunTable.Row::id).toList());
    RunTable.Row a = t.rows().get(0);
    assertEquals("baseline", a.experiment());
    assertEquals(1, a.seed());
    assertEquals("finished", a.status());
    assertEquals(Map.of("description", "the baseline", "model.hidden", "64", "model.layers", "1",
        "optimizer.name", "adam", "optimizer.lr", "0.01", "tags", "[\"a\",\"b\"]"), a.config());
    assertEquals("{}", t.rows().get(2).config().get("extra"));
    assertEquals(List.of("loss", "accuracy"), t.metrics());
  }

  @Test
  void differingKeysAreSortedAndSkipTheDescriptionAndKeysEqualEverywhere() throws IOException {
    Table t = RunTable.load(runs, null, null);
    // extra is missing from three runs: it differs; model.layers and tags are equal everywhere.
    assertEquals(List.of("extra", "model.hidden", "optimizer.lr", "optimizer.name"), t.differing());
    Table baselines = RunTable.load(runs, set("baseline"), null);
    assertEquals(List.of("extra", "optimizer.lr", "optimizer.name"), baselines.differing());
    Table one = RunTable.load(runs, set("wide"), null);
    assertEquals(List.of(), one.differing());
  }

  @Test
  void filtersByExperimentAndStatus() throws IOException {
    assertEquals(List.of(A, C), ids(RunTable.load(runs, set("baseline"), null)));
    assertEquals(List.of(A), ids(RunTable.load(runs, set("baseline"), set("finished"))));
    assertEquals(List.of(B, D), ids(RunTable.load(runs, null, set("failed", "crashed"))));
    assertEquals(List.of(A, B, C, D), ids(RunTable.load(runs, set(), set())));
    assertThrows(ResearchException.class, () -> RunTable.load(runs, set("nope"), null));
  }

  @Test
  void unknownStatusIsRefusedWithAHint() {
    ResearchException e = assertThrows(ResearchException.class,
        () -> RunTable.load(runs, null, set("finised")));
    assertEquals("-Dresearch.status: unknown status `finised` (did you mean `finished`?). Statuses: queued,"
        + " running, finished, failed, crashed, interrupted, cancelled, timed-out.", e.getMessage());
  }

  @Test
  void formatsParseWithAHintForTypos() {
    assertEquals(Format.TABLE, Format.parse(null));
    assertEquals(Format.TABLE, Format.parse(" "));
    assertEquals(Format.MARKDOWN, Format.parse("Markdown"));
    assertEquals(Format.CSV, Format.parse("csv"));
    ResearchException e = assertThrows(ResearchException.class, () -> Format.parse("jsn"));
    assertEquals("-Dresearch.format: unknown format `jsn` (did you mean `json` or `csv`?). Formats: table, markdown,"
        + " csv, json.", e.getMessage());
  }

  @Test
  void missingRunsFolderIsAnEmptyTable() throws IOException {
    Table t = RunTable.load(runs.resolve("absent"), null, null);
    assertEquals(List.of(), t.rows());
    assertEquals("id  experiment  seed  status  commit  dirty\n", RunTable.render(t, Format.TABLE));
    assertEquals("id,experiment,seed,status,commit,dirty\r\n", RunTable.render(t, Format.CSV));
    assertEquals("| id | experiment | seed | status | commit | dirty |\n|---|---|---|---|---|---|\n",
        RunTable.render(t, Format.MARKDOWN));
    assertEquals("[ ]\n", RunTable.render(t, Format.JSON));
  }

  @Test
  void rendersAlignedTable() throws IOException {
    assertEquals(""
        + "id                            experiment  seed  status    commit        dirty  extra  model.hidden"
        + "  optimizer.lr  optimizer.name  loss     accuracy\n"
        + "20261127-010000-000-aaaaaaaa  baseline    1     finished  aaaaaaaaaaaa  no            64"
        + "            0.01          adam            0.1235   0.9100\n"
        + "20261127-020000-000-bbbbbbbb  wide        2     failed    bbbbbbbbbbbb  yes           256"
        + "           0.01          adam            NaN\n"
        + "20261127-030000-000-cccccccc  baseline    3     running   cccccccccccc  no     {}     64"
        + "            0.003         adam,w\n"
        + "20261127-040000-000-dddddddd  null        4     crashed   dddddddddddd  no            64"
        + "            0.01          adam            -0.0000  0.0000\n",
        RunTable.render(RunTable.load(runs, null, null), Format.TABLE));
  }

  @Test
  void rendersMarkdown() throws IOException {
    Table t = RunTable.load(runs, null, set("finished", "failed"));
    assertEquals(""
        + "| id | experiment | seed | status | commit | dirty | model.hidden | loss | accuracy |\n"
        + "|---|---|---|---|---|---|---|---|---|\n"
        + "| 20261127-010000-000-aaaaaaaa | baseline | 1 | finished | aaaaaaaaaaaa | no | 64 | 0.1235 | 0.9100 |\n"
        + "| 20261127-020000-000-bbbbbbbb | wide | 2 | failed | bbbbbbbbbbbb | yes | 256 | NaN |  |\n",
        RunTable.render(t, Format.MARKDOWN));
  }

  @Test
  void markdownAndCsvEscapeTheirSpecialCharacters() throws IOException {
    write(runs, A + "/run.json", record(A, "base|line", "finished", 1,
        "{ \"description\" : \"x\", \"note\" : \"a|b\\\\c\\nd\" }", "{ \"m\" : 1 }"));
    write(runs, B + "/run.json", record(B, "wide", "finished", 2,
        "{ \"description\" : \"y\", \"note\" : \"say \\\"hi\\\", then\\r\\nleave\" }", "{ \"m\" : 2 }"));
    Table t = RunTable.load(runs, set("base|line", "wide"), null);
    assertEquals(""
        + "| id | experiment | seed | status | commit | dirty | note | m |\n"
        + "|---|---|---|---|---|---|---|---|\n"
        + "| 20261127-010000-000-aaaaaaaa | base\\|line | 1 | finished | aaaaaaaaaaaa | no | a\\|b\\\\c d | 1.0000 |\n"
        + "| 20261127-020000-000-bbbbbbbb | wide | 2 | finished | bbbbbbbbbbbb | yes | say \"hi\", then\r leave | 2.0000 |\n",
        RunTable.render(t, Format.MARKDOWN));
    assertEquals(""
        + "id,experiment,seed,status,commit,dirty,note,m\r\n"
        + "20261127-010000-000-aaaaaaaa,base|line,1,finished,aaaaaaaaaaaa,no,\"a|b\\c\nd\",1.0000\r\n"
        + "20261127-020000-000-bbbbbbbb,wide,2,finished,bbbbbbbbbbbb,yes,\"say \"\"hi\"\", then\r\nleave\",2.0000\r\n",
        RunTable.render(t, Format.CSV));
  }

  @Test
  void rendersCsv() throws IOException {
    assertEquals(""
        + "id,experiment,seed,status,commit,dirty,extra,model.hidden,optimizer.lr,optimizer.name,loss,accuracy\r\n"
        + "20261127-010000-000-aaaaaaaa,baseline,1,finished,aaaaaaaaaaaa,no,,64,0.01,adam,0.1235,0.9100\r\n"
        + "20261127-020000-000-bbbbbbbb,wide,2,failed,bbbbbbbbbbbb,yes,,256,0.01,adam,NaN,\r\n"
        + "20261127-030000-000-cccccccc,baseline,3,running,cccccccccccc,no,{},64,0.003,\"adam,w\",,\r\n"
        + "20261127-040000-000-dddddddd,null,4,crashed,dddddddddddd,no,,64,0.01,adam,-0.0000,0.0000\r\n",
        RunTable.render(RunTable.load(runs, null, null), Format.CSV));
  }

  @Test
  void rendersJson() throws IOException {
    Table t = RunTable.load(runs, null, set("failed", "running", "crashed"));
    assertEquals(""
        + "[ {\n"
        + "  \"id\" : \"20261127-020000-000-bbbbbbbb\",\n"
        + "  \"experiment\" : \"wide\",\n"
        + "  \"seed\" : 2,\n"
        + "  \"status\" : \"failed\",\n"
        + "  \"commit\" : \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\n"
        + "  \"dirty\" : true,\n"
        + "  \"config\" : {\n"
        + "    \"extra\" : null,\n"
        + "    \"model.hidden\" : \"256\",\n"
        + "    \"optimizer.lr\" : \"0.01\",\n"
        + "    \"optimizer.name\" : \"adam\"\n"
        + "  },\n"
        + "  \"metrics\" : {\n"
        + "    \"loss\" : \"NaN\"\n"
        + "  }\n"
        + "}, {\n"
        + "  \"id\" : \"20261127-030000-000-cccccccc\",\n"
        + "  \"experiment\" : \"baseline\",\n"
        + "  \"seed\" : 3,\n"
        + "  \"status\" : \"running\",\n"
        + "  \"commit\" : \"cccccccccccccccccccccccccccccccccccccccc\",\n"
        + "  \"dirty\" : false,\n"
        + "  \"config\" : {\n"
        + "    \"extra\" : \"{}\",\n"
        + "    \"model.hidden\" : \"64\",\n"
        + "    \"optimizer.lr\" : \"0.003\",\n"
        + "    \"optimizer.name\" : \"adam,w\"\n"
        + "  },\n"
        + "  \"metrics\" : { }\n"
        + "}, {\n"
        + "  \"id\" : \"20261127-040000-000-dddddddd\",\n"
        + "  \"experiment\" : null,\n"
        + "  \"seed\" : 4,\n"
        + "  \"status\" : \"crashed\",\n"
        + "  \"commit\" : \"dddddddddddddddddddddddddddddddddddddddd\",\n"
        + "  \"dirty\" : false,\n"
        + "  \"config\" : {\n"
        + "    \"extra\" : null,\n"
        + "    \"model.hidden\" : \"64\",\n"
        + "    \"optimizer.lr\" : \"0.01\",\n"
        + "    \"optimizer.name\" : \"adam\"\n"
        + "  },\n"
        + "  \"metrics\" : {\n"
        + "    \"accuracy\" : 1.5E-5,\n"
        + "    \"loss\" : -4.0E-5\n"
        + "  }\n"
        + "} ]\n",
        RunTable.render(t, Format.JSON));
  }

  @Test
  void anUnknownExperimentIsRefusedWithTheKnownOnes() throws IOException {
    Path root = runs.resolve("project");
    write(root, "experiments/smoke.yaml", "extends: baseline\n");
    write(root, "runs/" + A + "/run.json", record(A, "baseline", "finished", 1, "{ \"a\" : 1 }", null));
    write(root, "runs/" + B + "/run.json", record(B, "wide", "finished", 1, "{ \"a\" : 1 }", null));
    Path store = root.resolve("runs");
    ResearchException e = assertThrows(ResearchException.class, () -> RunTable.load(store, set("nothere"), null));
    assertEquals("-Dresearch.experiment: no experiment `nothere`. Known experiments: baseline, smoke, wide.",
        e.getMessage());
    assertEquals(List.of(), RunTable.load(store, set("smoke"), null).rows(), "an experiment without runs yet is known");
    assertEquals(List.of(B), ids(RunTable.load(store, set("wide"), null)));
  }

  @Test
  void commitAndDirtyComeFromTheRecordsGit() throws IOException {
    write(runs, A + "/run.json", record(A, "baseline", "finished", 1, "{ \"a\" : 1 }", "{ \"m\" : 1 }")
        .replaceFirst("  \"git\" : \\{[^}]*\\},\n", ""));
    Table t = RunTable.load(runs, null, set("finished", "failed"));
    RunTable.Row a = t.rows().get(0);
    RunTable.Row b = t.rows().get(1);
    assertEquals(null, a.commit(), "a record without git (outside git) has no commit");
    assertEquals(null, a.dirty());
    assertEquals("bbbbbbbb".repeat(5), b.commit());
    assertEquals(Boolean.TRUE, b.dirty());
  }

  @Test
  void numbersHaveFourDecimals() {
    assertEquals("0.1235", RunTable.number(0.12345));
    assertEquals("1234567.0000", RunTable.number(1234567));
    assertEquals("-0.0000", RunTable.number(-0.0));
    assertEquals("NaN", RunTable.number(Double.NaN));
    assertEquals("Infinity", RunTable.number(Double.POSITIVE_INFINITY));
  }

  @Test
  void fastNumbersEqualFormatterEverywhere() {
    RunTable.Numbers numbers = new RunTable.Numbers();
    Random random = new Random(42);
    List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 0.00005, 0.00004999999999999999, 0.00015,
        0.12345, 0.12355, 1.00005, 2.5e-5, -2.5e-5, 9.99995, 9.99996, 99999.99995, 0.5, 1e-300, Double.MIN_VALUE,
        -Double.MIN_VALUE, 4.5e11, 4.503599627370496E11, 4.6e11, 1e15, 1e20, 1.7976931348623157E308,
        Math.nextUp(0.00005), Math.nextDown(0.00005), Math.nextUp(1.23455), Math.nextDown(1.23455)));
    for (int i = 0; i < 100_000; i++) {
      values.add(random.nextDouble()); // accuracies, losses
      values.add((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30) - 15)); // any magnitude
      values.add(Double.parseDouble(random.nextInt(2_000_000) + "." + String.format("%05d", random.nextInt(100_000))));
      values.add(random.nextInt(100_000) / 100_000.0 + 0.000005); // near the rounding boundary
      values.add(Double.longBitsToDouble(random.nextLong())); // any bits (NaN and infinities too)
    }
    for (double v : values) {
      assertEquals(RunTable.number(v), numbers.format(v), () -> "value " + v);
    }
  }

  @Test
  void manyRunsLoadInOrderWithEveryRecord() throws IOException {
    for (int i = 0; i < 500; i++) {
      String id = String.format("20261128-%06d-000-zzzzzzzz", i);
      write(runs, id + "/run.json", record(id, i % 2 == 0 ? "baseline" : "wide", "finished", i % 5,
          "{ \"model\" : { \"hidden\" : " + (i % 2 == 0 ? 64 : 256) + " } }", "{ \"loss\" : " + i + " }"));
    }
    Table t = RunTable.load(runs, null, set("finished"));
    assertEquals(501, t.rows().size());
    List<String> ids = ids(t);
    assertEquals(ids.stream().sorted().toList(), ids);
    RunTable.Row last = t.rows().get(500);
    assertEquals("20261128-000499-000-zzzzzzzz", last.id());
    assertEquals(Map.of("model.hidden", "256"), last.config());
    assertEquals(Map.of("loss", 499.0), last.metrics());
    String table = RunTable.render(t, Format.TABLE);
    assertEquals(502, table.lines().count());
    assertTrue(table.lines().allMatch(l -> !l.endsWith(" ")), "no trailing blanks");
  }

  /**
   * The config flattening as the tree model does it (the reference): dotted keys, each value node's
   * text, any other node's JSON; null when that fails (such a record is not shown).
   */
  static Map<String, String> treeFlatten(String config) {
    try {
      Map<String, String> out = new TreeMap<>();
      treeFlatten("", Json.mapper().readTree(config), out);
      return out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void treeFlatten(String prefix, JsonNode n, Map<String, String> out) {
    if (n.isObject() && n.size() > 0) {
      n.fields().forEachRemaining(f -> treeFlatten(prefix + f.getKey() + ".", f.getValue(), out));
    } else {
      out.put(prefix.substring(0, prefix.length() - 1), n.isValueNode() ? n.asText() : n.toString());
    }
  }

  @Test
  void configFlatteningEqualsTheTreeModelOnAnyInput() throws IOException {
    List<String> configs = List.of(
        "{ \"a\" : { \"b\" : { \"c\" : 1 } }, \"d\" : \"x\" }",
        "{ \"int\" : -0, \"long\" : 9007199254740993, \"big\" : 123456789012345678901234567890,"
            + " \"neg\" : -2147483649 }",
        "{ \"f\" : 0.1, \"g\" : 1e-7, \"h\" : 1E10, \"i\" : -0.0, \"j\" : 1.0, \"k\" : 2.5e+300,"
            + " \"l\" : 1e400, \"m\" : 0.30000000000000004, \"n\" : 100.0e-2 }",
        "{ \"t\" : true, \"f\" : false, \"n\" : null, \"s\" : \"\\u00e9\\ud83d\\ude00 \\\"q\\\" \\\\ \\n\" }",
        "{ \"list\" : [ 1, \"a\", { \"x\" : [ ] }, 2.50, null ], \"e\" : [ ] }",
        "{ \"empty\" : { }, \"deep\" : { \"er\" : { } } }",
        "{ \"a\" : 1, \"a\" : 2 }",
        "{ \"m\" : { \"a\" : 1 }, \"m\" : { \"b\" : 2 } }",
        "{ \"m\" : { \"a\" : 1 }, \"m\" : 5 }",
        "{ \"m\" : 5, \"m\" : { \"a\" : 1 } }",
        "{ \"a.b\" : 1, \"a\" : { \"b\" : 2 } }",
        "{ \"a\" : { \"b\" : 2 }, \"a.b\" : 1 }",
        "{ }", "5", "\"text\"", "null", "[ 1, 2 ]", "true");
    int i = 0;
    for (String config : configs) {
      String id = String.format("20261129-000000-%03d-qqqqqqqq", i++);
      Path file = write(runs, id + "/run.json", record(id, "x", "finished", 1, config, "{ \"m\" : 1 }"));
      RunTable.Row row = RunTable.read(file);
      Map<String, String> expected = treeFlatten(config);
      assertEquals(expected, row == null ? null : row.config(), config);
    }
  }

  /** A mutable set, as CompareMojo passes (a record may lack its experiment: contains(null) must work). */
  private static Set<String> set(String... names) {
    return new HashSet<>(List.of(names));
  }

  private static List<String> ids(Table t) {
    return t.rows().stream().map(RunTable.Row::id).toList();
  }
}
