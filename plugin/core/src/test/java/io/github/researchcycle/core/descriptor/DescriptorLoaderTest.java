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
}
