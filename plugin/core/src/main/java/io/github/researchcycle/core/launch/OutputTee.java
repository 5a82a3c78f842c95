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
            console.write(bytes, shown, bytes.length - shown);
            if (b == '\n') {
              log.write(bytes);
            }
            segment.reset();
            shown = 0;
          }
        }
        if (segment.size() > shown && in.available() == 0) {
          // A partial line (a prompt, a bar still being drawn): show it now, decide about the log later.
          byte[] bytes = segment.toByteArray();
          console.write(bytes, shown, bytes.length - shown);
          shown = bytes.length;
        }
        console.flush();
        log.flush();
      }
      byte[] rest = segment.toByteArray();
      console.write(rest, shown, rest.length - shown);
      log.write(rest);
      console.flush();
      log.flush();
    } catch (IOException e) {
      // The process is gone or the console closed: nothing more to copy.
    }
  }
}
