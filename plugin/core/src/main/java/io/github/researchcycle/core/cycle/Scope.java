package io.github.researchcycle.core.cycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.config.YamlFiles;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.launch.LaunchProfile;
import io.github.researchcycle.core.launch.LaunchProfiles;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The project's risk score, after the seed of this project (an independent researcher's year): a
 * new data set +2, data beyond one machine's memory +1, a paper with no code +1, a model off the
 * library's structure +1, several GPUs +1, a cluster +3. Factors that can be seen in the repository
 * (launch profiles, data sizes against memory) are inferred; the rest are declared in research.yaml.
 * GPUs and clusters count from the launch profiles that runs have used: a generated repository
 * ships profiles for every target, and a profile that nothing ran on is no part of the project yet.
 */
public final class Scope {
  /** A score at or above this gets a warning. */
  public static final int WARN_AT = 4;

  private Scope() {}

  /**
   * One factor of the score.
   *
   * @param name the factor
   * @param points its weight
   * @param present whether it applies
   * @param how "declared" or "inferred", with the evidence
   */
  public record Factor(String name, int points, boolean present, String how) {}

  /**
   * The score.
   *
   * @param factors every factor, present or not
   * @param score the sum of the present ones
   */
  public record Score(List<Factor> factors, int score) {
    /** Whether the score calls for a warning. */
    public boolean warn() {
      return score >= WARN_AT;
    }
  }

  /** Scores the research repository at {@code root}. */
  public static Score score(Path root, Descriptor d) {
    List<Factor> f = new ArrayList<>();
    Descriptor.Scope declared = d.scope();
    boolean newData = declared != null && Boolean.TRUE.equals(declared.newDataset());
    f.add(new Factor("a new data set", 2, newData, "declared (scope.newDataset: " + newData + ")"));
    long dataBytes = dataBytes(root);
    long memory = maxProfileMemory(root);
    boolean beyond = dataBytes > 0 && memory > 0 && dataBytes > memory;
    f.add(new Factor("data beyond one machine's memory", 1, beyond, dataBytes <= 0
        ? "inferred: no data manifest lists file sizes"
        : "inferred: data " + mib(dataBytes) + " against " + (memory > 0 ? mib(memory) : "no memory") + " in launch profiles"));
    boolean noCode = d.paper() != null && Boolean.FALSE.equals(d.paper().hasCode());
    f.add(new Factor("a paper with no code", 1, noCode, "declared (paper.hasCode: "
        + (d.paper() == null ? "unset" : d.paper().hasCode()) + ")"));
    boolean off = declared != null && Boolean.TRUE.equals(declared.offStructure());
    f.add(new Factor("a model off the library's structure", 1, off, "declared (scope.offStructure: " + off + ")"));
    int gpus = 0;
    boolean cluster = false;
    List<String> clusterProfiles = new ArrayList<>();
    List<String> unused = new ArrayList<>();
    Set<String> used = usedProfiles(root);
    for (String name : LaunchProfiles.names(root)) {
      if (!used.contains(name)) {
        unused.add(name);
        continue;
      }
      LaunchProfile p;
      try {
        p = YamlFiles.read(root, root.resolve("launch").resolve(name + ".yaml"), LaunchProfile.class);
      } catch (RuntimeException e) {
        continue;
      }
      if (p.devices() != null && p.devices().startsWith("gpu:")) {
        try {
          gpus = Math.max(gpus, Integer.parseInt(p.devices().substring(4)));
        } catch (NumberFormatException e) {
          // Not a count: not several GPUs.
        }
      }
      if (!"local".equals(p.targetOrDefault())) {
        cluster = true;
        clusterProfiles.add(name + " (" + p.targetOrDefault() + ")");
      }
    }
    String notYet = unused.isEmpty() ? "" : "; not used by any run yet: " + String.join(", ", unused);
    f.add(new Factor("several GPUs", 1, gpus > 1, "inferred: at most " + gpus + " GPU(s) in the launch profiles "
        + "that runs used" + notYet));
    f.add(new Factor("a cluster", 3, cluster, "inferred: " + (cluster ? "runs used " + String.join(", ", clusterProfiles)
        : "runs used only local launch profiles") + notYet));
    int score = f.stream().filter(Factor::present).mapToInt(Factor::points).sum();
    return new Score(List.copyOf(f), score);
  }

  /** The names of the launch profiles that the run records of {@code root/runs} name. */
  static Set<String> usedProfiles(Path root) {
    Set<String> used = new TreeSet<>();
    try (Stream<Path> runs = Files.list(root.resolve("runs"))) {
      for (Path record : runs.map(d -> d.resolve("run.json")).filter(Files::isRegularFile).toList()) {
        try {
          var tree = Json.mapper().readTree(record.toFile());
          String profile = tree.path("profile").asText("");
          // A dry run's record was never run: it says nothing about the compute used.
          boolean dry = RunRecord.DRY_RUN.equals(
              tree.path("launcher").path("schedulerState").asText(""));
          if (!profile.isEmpty() && !dry) {
            used.add(profile);
          }
        } catch (IOException e) {
          // A record that does not read is reported by status and compare.
        }
      }
    } catch (IOException e) {
      return used;
    }
    return used;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** The summed sizes of the files listed in the data manifests ({@code files[].size}). */
  static long dataBytes(Path root) {
    long total = 0;
    try (Stream<Path> files = Files.list(root.resolve("data"))) {
      for (Path m : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        try {
          JsonNode tree = YamlFiles.readTree(root, m);
          for (JsonNode file : tree.path("files")) {
            total += file.path("size").asLong(0);
          }
        } catch (RuntimeException e) {
          // An unreadable manifest is reported by the data goals, not here.
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  /** The largest {@code memory} (or else heap) of the launch profiles, in bytes. */
  static long maxProfileMemory(Path root) {
    long max = 0;
    for (String name : LaunchProfiles.names(root)) {
      try {
        LaunchProfile p = YamlFiles.read(root, root.resolve("launch").resolve(name + ".yaml"), LaunchProfile.class);
        max = Math.max(max, bytes(p.memory() != null ? p.memory() : p.heap()));
      } catch (RuntimeException e) {
        // Skip a profile that does not read; research:run reports it.
      }
    }
    return max;
  }

  /** Parses 512m, 2g, 8G, 1024k, 100 (bytes). */
  static long bytes(String size) {
    if (size == null || !size.matches("\\d+[kKmMgGtT]?")) {
      return 0;
    }
    char unit = Character.toLowerCase(size.charAt(size.length() - 1));
    long n = Long.parseLong(Character.isDigit(unit) ? size : size.substring(0, size.length() - 1));
    return switch (unit) {
      case 'k' -> n << 10;
      case 'm' -> n << 20;
      case 'g' -> n << 30;
      case 't' -> n << 40;
      default -> n;
    };
  }
}
