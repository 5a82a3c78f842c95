package io.github.researchcycle.core.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The Research Cycle repository itself (its tracked files) holds nothing that the secret scan refuses. */
class SecretScanSelfTest {
  @Test
  void theProjectsOwnRepositoryScansClean() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(".git"))) {
      dir = dir.getParent();
    }
    Assumptions.assumeTrue(dir != null, "not inside a git checkout");
    List<String> found = SecretScan.find(dir);
    assertEquals(List.of(), found, String.join("\n", found));
  }
}
