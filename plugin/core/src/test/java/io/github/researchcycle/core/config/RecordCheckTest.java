package io.github.researchcycle.core.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** research:run checks the experiment against the record it names before the training JVM starts. */
class RecordCheckTest {
  /** The record a research repository's code would bind its config to. */
  public record Hyper(Model model) {
    /** The network's size. */
    public record Model(int hidden, int layers) {}
  }

  private static final Path CLASSES = Path.of(System.getProperty("user.dir"), "target", "test-classes");

  private static ResolvedConfig resolve(Path root, String baseline) throws Exception {
    Files.createDirectories(root.resolve("experiments"));
    Files.writeString(root.resolve("experiments/baseline.yaml"), baseline);
    return new ExperimentResolver(root).resolve("baseline", List.of());
  }

  private static final String BASELINE = """
      main: x.Train
      hyper: io.github.researchcycle.core.config.RecordCheckTest$Hyper
      data:
        name: digits
      model:
        hidden: 64
        layers: 1
      optimizer:
        name: adam
        lr: 0.01
      training:
        epochs: 2
        batch: 32
      """;

  @Test
  void anExperimentThatFitsItsRecordPasses(@TempDir Path root) throws Exception {
    ResolvedConfig c = resolve(root, BASELINE);
    assertDoesNotThrow(() -> RecordCheck.check(root, c, List.of(CLASSES)));
  }

  @Test
  void aKeyNoComponentReadsIsNamedWithItsFileAndLine(@TempDir Path root) throws Exception {
    ResolvedConfig c = resolve(root, BASELINE.replace("  layers: 1", "  layers: 1\n  dropout: 0.5"));
    ResearchException e = assertThrows(ResearchException.class, () -> RecordCheck.check(root, c, List.of(CLASSES)));
    assertTrue(e.getMessage().startsWith("experiments/baseline.yaml line 8: `model.dropout` is read by neither Hyper"),
        e.getMessage());
  }

  @Test
  void aComponentTheExperimentLacksIsNamed(@TempDir Path root) throws Exception {
    ResolvedConfig c = resolve(root, BASELINE.replace("  layers: 1\n", ""));
    ResearchException e = assertThrows(ResearchException.class, () -> RecordCheck.check(root, c, List.of(CLASSES)));
    assertTrue(e.getMessage().contains("Hyper reads `model.layers`"), e.getMessage());
  }

  @Test
  void aRecordThatIsNotOnTheClasspathOrNotARecordIsOneLine(@TempDir Path root) throws Exception {
    ResolvedConfig missing = resolve(root, BASELINE.replace("RecordCheckTest$Hyper", "Nope"));
    assertTrue(assertThrows(ResearchException.class, () -> RecordCheck.check(root, missing, List.of(CLASSES)))
        .getMessage().contains("not on the project's classpath"));
    ResolvedConfig notRecord = resolve(root, BASELINE.replace("RecordCheckTest$Hyper", "RecordCheckTest"));
    assertTrue(assertThrows(ResearchException.class, () -> RecordCheck.check(root, notRecord, List.of(CLASSES)))
        .getMessage().contains("not a record"));
  }

  @Test
  void anExperimentWithoutARecordIsNotChecked(@TempDir Path root) throws Exception {
    ResolvedConfig c = resolve(root, BASELINE.replace("hyper: io.github.researchcycle.core.config.RecordCheckTest$Hyper\n",
        ""));
    assertDoesNotThrow(() -> RecordCheck.check(root, c, List.of()));
  }
}
