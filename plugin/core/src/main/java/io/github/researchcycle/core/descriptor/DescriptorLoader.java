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
    if (d.claim() != null) {
      atLeastZero(root, file, "claim.margin", d.claim().margin(),
          "the smallest advantage over the baseline that counts as an improvement (0 for any)");
      atLeastZero(root, file, "claim.tolerance", d.claim().tolerance(),
          "how far from the reported value still counts as reproduced");
    }
    if (d.estimate() != null && d.estimate().hours() != null && !(d.estimate().hours() > 0)) {
      throw new ResearchException(YamlFiles.at(root, file, "estimate.hours") + ": `estimate.hours` must be above 0, "
          + "found " + d.estimate().hours() + ". Fix: the hours you expect the project to take.");
    }
    return d;
  }

  private static void atLeastZero(Path root, Path file, String key, Double value, String meaning) {
    if (value != null && !(value >= 0)) {
      throw new ResearchException(YamlFiles.at(root, file, key) + ": `" + key + "` must be 0 or more, found " + value
          + ". Fix: " + meaning + ", as a positive number.");
    }
  }
}
