package io.github.researchcycle.core.journal;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.core.render.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** {@code writeup/journal.md}: dated notes stamped with the commit, one command away. */
public final class Journal {
  /** The journal's path in a research repository. */
  public static final String FILE = "writeup/journal.md";

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  private Journal() {}

  /** Appends an entry and returns the text appended. */
  public static String append(Path root, String message, Clock clock) throws IOException {
    if (message == null || message.isBlank()) {
      throw new ResearchException("The note is empty. Fix: mvn research:note -Dresearch.message=\"what you tried and what happened\"");
    }
    GitProvenance git = GitInspector.inspect(root);
    String entry = new Templates(root.resolve("writeup/templates")).render("writeup/journal-entry.md.vm", Map.of(
        "date", DATE.format(clock.instant()), "commit", git.commit().substring(0, 12), "dirty", !git.clean(),
        "message", message.strip()));
    Path file = root.resolve(FILE);
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.writeString(file, "# Journal\n", StandardCharsets.UTF_8);
    }
    String existing = Files.readString(file, StandardCharsets.UTF_8);
    String text = (existing.endsWith("\n") ? "" : "\n") + entry;
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    return entry;
  }
}
