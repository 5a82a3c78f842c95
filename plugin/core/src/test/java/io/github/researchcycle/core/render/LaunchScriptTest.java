package io.github.researchcycle.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch script rendered from {@code launch/local.sh.vm}: compared with a golden file, checked
 * by {@code sh -n}, and run for real to prove that hostile text stays one literal word.
 *
 * <p>To regenerate the golden file after an intended template change, run the tests with
 * {@code -Dgolden.update=true} and review the diff.
 */
class LaunchScriptTest {
  static final Path SH = Path.of("/bin/sh");
  static final String HOSTILE = "a b'c;$x";
  static final String ENV_VALUE = "p$HOME \"q\" 'r' `id` \\n";

  @TempDir Path tmp;

  static Map<String, Object> values(String experiment, String workDir, List<String> command) {
    Map<String, String> env = new TreeMap<>();
    env.put("OMP_NUM_THREADS", "4");
    env.put("TRICKY", ENV_VALUE);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("runId", "20261127-025120-123-k3f9x2ab");
    v.put("experiment", experiment);
    v.put("seed", 3L);
    v.put("profile", "local");
    v.put("pluginVersion", "0.1.0-SNAPSHOT");
    v.put("workDir", workDir);
    v.put("envNames", List.copyOf(env.keySet()));
    v.put("env", env);
    v.put("command", command);
    return v;
  }

  static String render(Map<String, Object> values) {
    return new Templates(null).render("launch/local.sh.vm", values);
  }

  @Test
  void matchesTheGoldenFile() throws IOException {
    String rendered = render(values(HOSTILE, "/tmp/w d",
        List.of("/opt/java 17/bin/java", "-Xmx1g", "-Dresearch.run.dir=/tmp/w d/runs/x", "-cp",
            "/tmp/w d/target/classes:/repo/a.jar", "io.github.x.Train", HOSTILE)));
    if (Boolean.getBoolean("golden.update")) {
      Path golden = Path.of("src/test/resources/golden/launch-local.sh");
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, rendered, StandardCharsets.UTF_8);
    }
    try (InputStream in = getClass().getResourceAsStream("/golden/launch-local.sh")) {
      assertNotNull(in, "golden/launch-local.sh on the test classpath");
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), rendered);
    }
  }

  @Test
  void isValidShell() throws Exception {
    assumeTrue(Files.isExecutable(SH), "no /bin/sh");
    String script = render(values("a\nrm -rf /;'\"", "/tmp/w d", List.of("printf", "%s\\n", HOSTILE)));
    Path file = Files.writeString(tmp.resolve("launch.sh"), script);
    Result r = run(List.of(SH.toString(), "-n", file.toString()));
    assertEquals(0, r.code, r.output);
  }

  @Test
  void argumentsAndEnvironmentArriveAsLiteralWords() throws Exception {
    assumeTrue(Files.isExecutable(SH), "no /bin/sh");
    Path work = Files.createDirectories(tmp.resolve("w d $x"));
    String script = render(values(HOSTILE + "\necho INJECTED", work.toString(),
        List.of("printf", "%s\\n", HOSTILE, "", "two  spaces", "*")));
    Path file = Files.writeString(tmp.resolve("launch.sh"), script);
    Result r = run(List.of(SH.toString(), file.toString()));
    assertEquals(0, r.code, r.output);
    assertEquals(HOSTILE + "\n\ntwo  spaces\n*\n", r.output);

    String envScript = render(values(HOSTILE, work.toString(),
        List.of(SH.toString(), "-c", "printf '%s|%s|%s\\n' \"$1\" \"$TRICKY\" \"$(pwd)\"", "sh", HOSTILE)));
    r = run(List.of(SH.toString(), Files.writeString(tmp.resolve("env.sh"), envScript).toString()));
    assertEquals(0, r.code, r.output);
    assertEquals(HOSTILE + "|" + ENV_VALUE + "|" + work.toRealPath() + "\n", r.output);
  }

  @Test
  void shellQuoting() {
    Shell sh = new Shell();
    assertEquals("plain-word_1.0/x:y,z@a%b+c=d", sh.quote("plain-word_1.0/x:y,z@a%b+c=d"));
    assertEquals("''", sh.quote(""));
    assertEquals("'it'\\''s'", sh.quote("it's"));
    assertEquals("'$x'", sh.quote("$x"));
    assertEquals("'a b'", sh.quote("a b"));
    assertEquals("'~'", sh.quote("~"));
    assertEquals("a b  c", sh.comment("a\nb\r\tc"));
  }

  @Test
  void unknownTemplateIsAResearchException() {
    assertThrows(ResearchException.class, () -> new Templates(null).render("launch/nope.sh.vm", Map.of()));
  }

  @Test
  void missingValueIsAResearchException() {
    Map<String, Object> v = values("e", "/w", List.of("true"));
    v.remove("runId");
    assertThrows(ResearchException.class, () -> render(v));
  }

  @Test
  void overrideFolderWins() throws IOException {
    Path overrides = tmp.resolve("writeup/templates");
    Files.createDirectories(overrides.resolve("launch"));
    Files.writeString(overrides.resolve("launch/local.sh.vm"), "custom ${sh.quote($experiment)}\n");
    assertEquals("custom 'a b'\\''c;$x'\n", new Templates(overrides).render("launch/local.sh.vm", Map.of("experiment", HOSTILE)));
  }

  record Result(int code, String output) {}

  static Result run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the script ended");
    return new Result(p.exitValue(), out);
  }
}
