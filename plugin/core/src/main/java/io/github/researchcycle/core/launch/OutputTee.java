package io.github.researchcycle.core.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a process's console to the user's console and to {@code output.log}. Segments ended by a
 * carriage return (progress-bar redraws) go to the console only, so the log holds plain lines.
 */
public final class OutputTee implements Runnable {
  private final InputStream in;
  private final OutputStream console;
  private final OutputStream log;
  private boolean consoleGone;

  /** Copies {@code in} to {@code console} and {@code log} until end of stream. */
  public OutputTee(InputStream in, OutputStream console, OutputStream log) {
    this.in = in;
    this.console = console;
    this.log = log;
  }

  @Override
  public void run() {
    ByteArrayOutputStream segment = new ByteArrayOutputStream(256);
    int shown = 0; // bytes of the current segment already on the console
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          segment.write(b);
          if (b == '\n' || b == '\r') {
            byte[] bytes = segment.toByteArray();
            if (b == '\n') {
              log.write(bytes);
            }
            show(bytes, shown);
            segment.reset();
            shown = 0;
          }
        }
        if (segment.size() > shown && in.available() == 0) {
          // A partial line (a prompt, a bar still being drawn): show it now, decide about the log later.
          byte[] bytes = segment.toByteArray();
          show(bytes, shown);
          shown = bytes.length;
        }
        log.flush();
        show(null, 0);
      }
      byte[] rest = segment.toByteArray();
      log.write(rest);
      log.flush();
      show(rest, shown);
    } catch (IOException e) {
      // The process is gone or the log cannot be written: nothing more to copy.
    }
  }

  /**
   * Shows {@code bytes} from {@code from} on the console (flushes it when null). A console that
   * fails (Maven's, closed as it shuts down) is given up, and the log goes on.
   */
  private void show(byte[] bytes, int from) {
    if (consoleGone) {
      return;
    }
    try {
      if (bytes == null) {
        console.flush();
      } else {
        console.write(bytes, from, bytes.length - from);
      }
    } catch (IOException e) {
      consoleGone = true;
    }
  }
}
