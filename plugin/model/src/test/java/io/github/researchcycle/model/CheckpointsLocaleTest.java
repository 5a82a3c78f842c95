package io.github.researchcycle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint folders are named with ASCII digits whatever the default locale, so a resume finds them. */
class CheckpointsLocaleTest {
  @TempDir Path run;

  @Test
  void underArabicAndPersianLocalesTheNewestCheckpointIsFound() throws Exception {
    Locale before = Locale.getDefault();
    try {
      for (String tag : new String[] {"ar-EG", "fa-IR", "th-TH-u-nu-thai"}) {
        Locale.setDefault(Locale.forLanguageTag(tag));
        Path dir = Checkpoints.forEpoch(run, 3);
        assertEquals("epoch-0003", dir.getFileName().toString(), tag);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(Checkpoints.STATE), "{}");
        assertEquals(dir, Checkpoints.latest(run).orElseThrow(), tag);
      }
    } finally {
      Locale.setDefault(before);
    }
  }
}
