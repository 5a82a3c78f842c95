package io.github.researchcycle.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTeeTest {
  private static String[] tee(InputStream in) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new OutputTee(in, console, log).run();
    return new String[] {console.toString(StandardCharsets.UTF_8), log.toString(StandardCharsets.UTF_8)};
  }

  /** An input that hands out one chunk per read, as a process pipe does. */
  private static InputStream chunks(String... parts) {
    Deque<byte[]> queue = new ArrayDeque<>();
    for (String p : parts) {
      queue.add(p.getBytes(StandardCharsets.UTF_8));
    }
    return new InputStream() {
      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        byte[] next = queue.poll();
        if (next == null) {
          return -1;
        }
        System.arraycopy(next, 0, b, off, next.length);
        return next.length;
      }

      @Override
      public int available() {
        return 0;
      }
    };
  }

  @Test
  void carriageReturnSegmentsGoToTheConsoleOnly() {
    String[] out = tee(new ByteArrayInputStream("a\rb\rc\nd\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("a\rb\rc\nd\n", out[0]);
    assertEquals("c\nd\n", out[1]);
  }

  @Test
  void partialSegmentsAreShownAtOnceAndLoggedWhenTheLineEnds() {
    String[] out = tee(chunks("epoch 1 [", "==  ]\r", "epoch 1 [====]\r", "loss ", "0.5\n", "tail"));
    assertEquals("epoch 1 [==  ]\repoch 1 [====]\rloss 0.5\ntail", out[0]);
    assertEquals("loss 0.5\ntail", out[1]);
  }

  @Test
  void progressBarSplitAcrossReadsStaysOutOfTheLog() {
    List<String> parts = List.of("a", "b", "\r", "c", "d\r", "done\n");
    String[] out = tee(chunks(parts.toArray(String[]::new)));
    assertEquals("ab\rcd\rdone\n", out[0]);
    assertEquals("done\n", out[1]);
  }

  @Test
  void multiByteCharactersSurviveChunking() {
    byte[] all = "héllo ✓\n".getBytes(StandardCharsets.UTF_8);
    String first = new String(all, 0, 2, StandardCharsets.ISO_8859_1);
    String rest = new String(all, 2, all.length - 2, StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Deque<byte[]> queue = new ArrayDeque<>(List.of(first.getBytes(StandardCharsets.ISO_8859_1),
        rest.getBytes(StandardCharsets.ISO_8859_1)));
    InputStream in = new InputStream() {
      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        byte[] next = queue.poll();
        if (next == null) {
          return -1;
        }
        System.arraycopy(next, 0, b, off, next.length);
        return next.length;
      }
    };
    new OutputTee(in, console, log).run();
    assertEquals("héllo ✓\n", console.toString(StandardCharsets.UTF_8));
    assertEquals("héllo ✓\n", log.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aConsoleClosedAsMavenShutsDownDoesNotStopTheLog() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    OutputStream closed = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Stream closed");
      }
    };
    new OutputTee(chunks("epoch 1\n", "research-runtime: SIGTERM: finishing the current step\n"), closed, log).run();
    assertEquals("epoch 1\nresearch-runtime: SIGTERM: finishing the current step\n",
        log.toString(StandardCharsets.UTF_8));
  }
}
