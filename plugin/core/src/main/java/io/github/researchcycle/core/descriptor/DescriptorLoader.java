package io.github.researchcycle.core.descriptor;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.config.YamlFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads and checks {@code research.yaml}. */
public final class DescriptorLoader {
  /** The descriptor's file name at the research repository's root. */
  public static final String FILE = "research.yaml";

  private DescriptorLoader() {}

  /** Loads the descriptor of the research repository at {@code root}, refusing unknown keys. */
  public static Descriptor load(Path root) {
    Path file = root.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new ResearchException(
          root.toAbsolutePath() + " has no " + FILE + ", so it is not a research repository. Fix: run the goal in "
              + "a repository made with research-archetype, or create " + FILE + ".");
    }
    Descriptor d = YamlFiles.read(root, file, Descriptor.class);
    if (d.seeds() != null && d.seeds() < 1) {
      throw new ResearchException(YamlFiles.at(root, file, "seeds") + ": `seeds` must be at least 1, found "
          + d.seeds() + ". Fix the value.");
    }
    return d;
  }
}
