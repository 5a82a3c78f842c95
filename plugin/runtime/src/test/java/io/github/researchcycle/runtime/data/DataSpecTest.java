package io.github.researchcycle.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSpecTest {
  private static final String CANCER = """
      name: cancer
      format: csv
      files:
        - {name: wdbc.csv, size: 10, sha256: 0000000000000000000000000000000000000000000000000000000000000000}
      csv: {header: true, label: diagnosis, categorical: true, delimiter: ';'}
      splits:
        train: {file: wdbc.csv}
        test: {from: train, fraction: 0.2, seed: 11, stratify: true}
        validation: {from: train, fraction: 0.1, seed: 42}
      """;

  private static DataSpec write(Path project, String name, String text) throws Exception {
    Files.createDirectories(project.resolve("data"));
    Files.writeString(project.resolve("data").resolve(name + ".yaml"), text);
    return DataSpec.read(project, name);
  }

  @Test
  void everyKeyTheLoaderNeedsIsRead(@TempDir Path project) throws Exception {
    DataSpec s = write(project, "cancer", CANCER);
    assertEquals("csv", s.format());
    assertEquals("wdbc.csv", s.trainFile());
    assertEquals(Csv.Header.NAMES, s.csv().header());
    assertEquals("diagnosis", s.csv().label());
    assertEquals(';', s.csv().delimiter());
    assertEquals(new SplitPlan.Carve(0.2, 11, true), s.plan().test());
    assertEquals(new SplitPlan.Carve(0.1, 42, false), s.plan().validation());
    assertNull(s.testFile());
  }

  @Test
  void theLabelsClassesAreNumberedInTheManifestsOrder(@TempDir Path project) throws Exception {
    DataSpec s = write(project, "cancer", CANCER.replace("splits:", """
        columns:
          - {name: radius, type: number}
          - {name: diagnosis, type: category, classes: {M: 207, B: 362}}
        splits:"""));
    assertEquals(java.util.List.of("M", "B"), s.csv().classes());
  }

  @Test
  void theExperimentsFractionAndSeedOverrideTheManifestsValidation(@TempDir Path project) throws Exception {
    DataSpec s = write(project, "cancer", CANCER).withOverrides(0.0, 5L, null);
    assertEquals(new SplitPlan.Carve(0.0, 5, false), s.plan().validation());
    assertEquals(new SplitPlan.Carve(0.2, 11, true), s.plan().test(), "the test carve stays");
  }

  @Test
  void aFoldOutsideTheDeclaredOnesIsOneLine(@TempDir Path project) throws Exception {
    DataSpec s = write(project, "cancer", CANCER.replace("validation: {from: train, fraction: 0.1, seed: 42}",
        "folds: {k: 5, seed: 3}"));
    assertEquals(new SplitPlan.Folds(5, 3, false, 2), s.withOverrides(null, null, 2).plan().folds());
    ResearchException e = assertThrows(ResearchException.class, () -> s.withOverrides(null, null, 5));
    assertTrue(e.getMessage().contains("from 0 to 4"), e.getMessage());
  }

  @Test
  void aMissingManifestNamesTheCommandThatWritesOne(@TempDir Path project) {
    ResearchException e = assertThrows(ResearchException.class, () -> DataSpec.read(project, "mine"));
    assertTrue(e.getMessage().contains("data/mine.yaml") && e.getMessage().contains("research.data.add"),
        e.getMessage());
  }
}
