package io.github.researchcycle.core.git;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Recognizes an unpacked reproduction bundle (a research folder without .git) and says what can be checked there. */
public final class UnpackedBundle {
  /** The files every bundle carries at its top (written by research:publish). */
  static final List<String> MARKERS = List.of("REPRODUCE.md", "writeup/results.json");

  private UnpackedBundle() {}

  /** Whether {@code folder} is an unpacked bundle: its marker files, and no git work tree around it. */
  public static boolean at(Path folder) {
    return MARKERS.stream().allMatch(m -> Files.isRegularFile(folder.resolve(m))) && !GitInspector.isInside(folder);
  }

  /** The one line that a goal needing git history gives in a bundle instead of suggesting git init. */
  public static String refusal(Path folder, String goal) {
    return folder.toAbsolutePath().normalize().getFileName() + " is an unpacked reproduction bundle" + published(folder)
        + ", not a git repository: " + goal + " needs the research repository's history. What a bundle checks: "
        + "mvn research:reproduce re-runs its recorded runs and compares them (see REPRODUCE.md). Fix: run "
        + goal + " in a clone of the research repository.";
  }

  /** What research:status says inside a bundle. */
  public static List<String> statusLines(Path folder) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("Unpacked reproduction bundle" + published(folder) + " (no git history here).");
    JsonNode results = results(folder);
    if (results != null && results.hasNonNull("verdict")) {
      lines.add("Verdict as published: " + results.get("verdict").asText()
          + (results.hasNonNull("reason") ? ". " + results.get("reason").asText() : ""));
    }
    long runs = 0;
    Path runsDir = folder.resolve("runs");
    if (Files.isDirectory(runsDir)) {
      try (Stream<Path> dirs = Files.list(runsDir)) {
        runs = dirs.filter(d -> Files.isRegularFile(d.resolve("run.json"))).count();
      }
    }
    lines.add("Run records: " + runs + " under runs/; the writeup as published is in writeup/ (post.md, report.html, "
        + "results.json).");
    lines.add("Check here: mvn research:reproduce (re-runs the recorded runs and compares every metric; "
        + "see REPRODUCE.md). The cycle's gates (commits, pre-registration history, the ledger's growth) are "
        + "checked in the research repository, not in a bundle.");
    return lines;
  }

  private static String published(Path folder) {
    JsonNode results = results(folder);
    if (results == null || !results.hasNonNull("tag")) {
      return "";
    }
    String commit = results.path("commit").asText("");
    return " of " + results.get("tag").asText() + (commit.length() >= 12 ? " (commit " + commit.substring(0, 12) + ")"
        : "");
  }

  private static JsonNode results(Path folder) {
    try {
      return Json.mapper().readTree(folder.resolve("writeup/results.json").toFile());
    } catch (IOException e) {
      return null;
    }
  }
}
