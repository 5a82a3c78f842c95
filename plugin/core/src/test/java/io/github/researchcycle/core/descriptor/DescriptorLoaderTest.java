package io.github.researchcycle.core.descriptor;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorLoaderTest {
  @TempDir Path root;

  @Test
  void loadsResearchYaml() {
    write(root, "research.yaml", "title: t\nseeds: 2\n");
    Descriptor d = DescriptorLoader.load(root);
    assertEquals("t", d.title());
    assertEquals(2, d.seeds());
  }

  @Test
  void missingDescriptorExplainsWhatIsWrong() {
    ResearchException e = assertThrows(ResearchException.class, () -> DescriptorLoader.load(root));
    assertTrue(e.getMessage().contains("has no research.yaml"), e.getMessage());
  }

  @Test
  void unknownKeyIsRefusedWithHint() {
    write(root, "research.yaml", "titel: t\n");
    ResearchException e = assertThrows(ResearchException.class, () -> DescriptorLoader.load(root));
    assertTrue(e.getMessage().startsWith("research.yaml line 1: unknown key `titel` (did you mean `title`?)"),
        e.getMessage());
  }

  @Test
  void seedsBelowOneAreRefusedWithTheLine() {
    write(root, "research.yaml", "title: t\nseeds: 0\n");
    ResearchException e = assertThrows(ResearchException.class, () -> DescriptorLoader.load(root));
    assertTrue(e.getMessage().startsWith("research.yaml line 2: `seeds` must be at least 1"), e.getMessage());
  }

  @Test
  void aNegativeMarginOrToleranceAndANonPositiveEstimateAreRefusedWithTheLine() {
    write(root, "research.yaml", "title: t\nclaim:\n  type: improve\n  margin: -0.01\n");
    ResearchException e = assertThrows(ResearchException.class, () -> DescriptorLoader.load(root));
    assertTrue(e.getMessage().startsWith("research.yaml line 4: `claim.margin` must be 0 or more, found -0.01"),
        e.getMessage());
    write(root, "research.yaml", "title: t\nclaim:\n  type: reproduce\n  reported: 0.9\n  tolerance: -1\n");
    e = assertThrows(ResearchException.class, () -> DescriptorLoader.load(root));
    assertTrue(e.getMessage().startsWith("research.yaml line 5: `claim.tolerance` must be 0 or more"), e.getMessage());
    write(root, "research.yaml", "title: t\nestimate:\n  hours: 0\n");
    e = assertThrows(ResearchException.class, () -> DescriptorLoader.load(root));
    assertTrue(e.getMessage().startsWith("research.yaml line 3: `estimate.hours` must be above 0"), e.getMessage());
    write(root, "research.yaml", "title: t\nclaim:\n  type: improve\n  margin: 0\n");
    assertEquals(0.0, DescriptorLoader.load(root).claim().margin());
  }
}
