package io.github.researchcycle.core.launch;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.config.DidYouMean;
import io.github.researchcycle.core.config.YamlFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Loads and checks {@code launch/NAME.yaml}. */
public final class LaunchProfiles {
  /** The targets this version can launch on. */
  public static final Set<String> TARGETS = Set.of("local");

  private LaunchProfiles() {}

  /** Loads profile {@code name} of the research repository at {@code root}. */
  public static LaunchProfile load(Path root, String name) {
    Path file = root.resolve("launch").resolve(name + ".yaml");
    if (name.contains("/") || !Files.isRegularFile(file)) {
      List<String> known = names(root);
      if ("local".equals(name) && known.isEmpty()) {
        return new LaunchProfile("the default: this machine's CPU", "local", "cpu", null, null, null, null, null, null);
      }
      throw new ResearchException("launch/" + name + ".yaml: no such launch profile" + DidYouMean.hint(name, known)
          + ". Profiles here: " + (known.isEmpty() ? "none" : String.join(", ", known))
          + ". Fix: choose one with -Dresearch.profile=NAME, or create launch/" + name + ".yaml.");
    }
    LaunchProfile p = YamlFiles.read(root, file, LaunchProfile.class);
    if (!TARGETS.contains(p.targetOrDefault())) {
      throw new ResearchException(YamlFiles.at(root, file, "target") + ": target `" + p.targetOrDefault()
          + "` is not supported by this version of research-maven-plugin" + DidYouMean.hint(p.targetOrDefault(), TARGETS)
          + ". Fix: use `target: local`.");
    }
    if (p.heap() != null && !p.heap().matches("\\d+[kKmMgG]?")) {
      throw new ResearchException(YamlFiles.at(root, file, "heap") + ": `heap` must look like 512m or 2g, found `"
          + p.heap() + "`. Fix the value.");
    }
    if (p.devices() != null && !p.devices().equals("cpu")) {
      throw new ResearchException(YamlFiles.at(root, file, "devices") + ": devices `" + p.devices()
          + "` cannot run on the `local` target of this version, which trains on the CPU. Fix: `devices: cpu`.");
    }
    for (String variable : p.envOrEmpty().keySet()) {
      if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new ResearchException(YamlFiles.at(root, file, "env") + ": `" + variable + "` is not a valid environment"
            + " variable name (letters, digits and _, not starting with a digit). Fix the name under `env`.");
      }
    }
    return p;
  }

  /** The profile names of the research repository at {@code root}, sorted. */
  public static List<String> names(Path root) {
    try (Stream<Path> files = Files.list(root.resolve("launch"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
