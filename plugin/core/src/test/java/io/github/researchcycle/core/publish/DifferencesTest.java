package io.github.researchcycle.core.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the check names where a kept file and its rendering part. */
class DifferencesTest {
  private static String first(String committed, String rendered) {
    return Differences.first(committed.getBytes(StandardCharsets.UTF_8), rendered.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sameBytesAreNoDifference() {
    assertNull(first("a\nb\n", "a\nb\n"));
  }

  @Test
  void aLongLineIsShownAroundItsFirstDifference() {
    String start = "x".repeat(100);
    assertEquals("line 2, column 112: committed '…" + "x".repeat(43) + "abc mean 0.13 end', rendered '…"
        + "x".repeat(43) + "abc mean 0.95 end'", first("ok\n" + start + "abc mean 0.13 end\n",
            "ok\n" + start + "abc mean 0.95 end\n"));
  }

  @Test
  void aShortLineIsShownWhole() {
    assertEquals("line 1, column 8: committed 'mean 0.13', rendered 'mean 0.95'", first("mean 0.13\n", "mean 0.95\n"));
  }

  @Test
  void endsAndBinaryContent() {
    assertEquals("line 2, column 1: committed '', rendered 'b'", first("a\n", "a\nb\n"));
    assertEquals("the committed file ends at line 1, the rendering goes on", first("a", "a\nb"));
    assertEquals("from byte 1; 3 bytes committed, 3 rendered",
        Differences.first(new byte[] {0, 1, 2}, new byte[] {0, 9, 2}));
  }
}
