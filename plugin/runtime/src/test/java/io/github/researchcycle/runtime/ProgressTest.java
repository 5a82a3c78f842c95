package io.github.researchcycle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void plainLinesAppearAtMostEveryIntervalWithEta() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong();
    var lines = new Progress.Lines(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get, Duration.ofSeconds(5));
    lines.startEpoch(0, 2, 100);
    for (int i = 0; i < 50; i++) {
      now.addAndGet(Duration.ofMillis(200).toNanos()); // 50 steps in 10 s: two lines
      lines.step(0.5);
    }
    lines.endEpoch("epoch 1/2  train_loss 0.5");
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(3, out.lines().count(), out);
    String first = out.lines().findFirst().orElseThrow();
    assertTrue(first.startsWith("epoch 1/2  step 25/100   25%  ETA 0:00:15  loss 0.5000"), first);
    assertTrue(!out.contains("\r"), "no carriage returns when the console is not a terminal");
  }

  @Test
  void theBarFormatsItsLossAtMostOncePerRedraw() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong(1_000_000_000L);
    var bar = new Progress.Bar(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
    bar.startEpoch(0, 1, 10);
    bar.step(1.0);
    assertEquals(" loss 1.0000", bar.shown(), "the first step's loss at once");
    now.addAndGet(Progress.Bar.REDRAW.toNanos() - 1);
    bar.step(2.0);
    assertEquals(" loss 1.0000", bar.shown(), "not again before the next redraw");
    now.addAndGet(1);
    bar.step(3.0);
    assertEquals(" loss 3.0000", bar.shown());
    bar.endEpoch("epoch 1/1");
    bar.close();
  }

  @Test
  void formatsDurations() {
    assertEquals("1:01:01", Progress.Lines.format(3661));
    assertEquals("0:00:00", Progress.Lines.format(0.2));
  }

  @Test
  void theProgressLineUsesAsciiDigitsAndAPointUnderAnyLocale() {
    Locale before = Locale.getDefault();
    try {
      for (String tag : new String[] {"de-DE", "ar-EG", "fa-IR"}) {
        Locale.setDefault(Locale.forLanguageTag(tag));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        var lines = new Progress.Lines(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get,
            Duration.ofSeconds(5));
        lines.startEpoch(0, 2, 100);
        for (int i = 0; i < 30; i++) {
          now.addAndGet(Duration.ofMillis(200).toNanos());
          lines.step(0.25);
        }
        String first = bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("epoch 1/2  step 25/100   25%  ETA 0:00:15  loss 0.2500"), tag + ": " + first);
        assertEquals("1:01:01", Progress.Lines.format(3661), tag);
      }
    } finally {
      Locale.setDefault(before);
    }
  }
}
