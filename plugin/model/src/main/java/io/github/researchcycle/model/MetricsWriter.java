package io.github.researchcycle.model;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Appends metric lines to {@code metrics.jsonl}:
 * {@code {"step":12,"epoch":0,"name":"loss","value":0.6931,"time":1764212345123}}.
 *
 * <p>Lines are buffered and written to the file at least once per flush interval (and whenever the
 * buffer grows past 256 KiB), so a process killed with SIGKILL keeps every line logged up to the
 * last interval. Each write appends whole lines. Thread-safe.
 */
public final class MetricsWriter implements Closeable {
  private static final int SPILL_BYTES = 256 * 1024;

  // A plain stream, not a FileChannel: an interrupted thread must not close the file under the run.
  private final FileOutputStream out;
  private final LongSupplier clockMillis;
  private final Map<String, String> quotedNames = new HashMap<>();
  private final ScheduledExecutorService flusher;
  private StringBuilder buffer = new StringBuilder(SPILL_BYTES + 1024);
  private long written;
  private boolean closed;

  /** Opens {@code file} for appending and flushes every {@code flushMillis} on a daemon thread. */
  public MetricsWriter(Path file, long flushMillis, LongSupplier clockMillis) throws IOException {
    this.out = new FileOutputStream(file.toFile(), true);
    this.clockMillis = clockMillis;
    this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "research-metrics-flush");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleAtFixedRate(this::flushQuietly, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
  }

  /** Opens {@code file} with a one-second flush and the system clock. */
  public static MetricsWriter open(Path file) throws IOException {
    return new MetricsWriter(file, 1000, System::currentTimeMillis);
  }

  /** Logs one value; {@code epoch} is -1 when not applicable. */
  public void log(String name, double value, long step, int epoch) {
    String quoted;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("metrics writer is closed");
      }
      quoted = quotedNames.computeIfAbsent(name, MetricsWriter::quote);
      StringBuilder b = buffer;
      b.append("{\"step\":").append(step).append(",\"epoch\":").append(epoch).append(",\"name\":").append(quoted)
          .append(",\"value\":");
      if (Double.isFinite(value)) {
        b.append(value);
      } else {
        b.append('"').append(value).append('"');
      }
      b.append(",\"time\":").append(clockMillis.getAsLong()).append("}\n");
      if (b.length() >= SPILL_BYTES) {
        writeBuffer();
      }
    }
  }

  /** Bytes written to the file so far (for benchmarks and tests). */
  public synchronized long bytesWritten() {
    return written;
  }

  /** Writes everything logged so far to the file. */
  public synchronized void flush() throws IOException {
    if (!closed) {
      writeBuffer();
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IOException | UncheckedIOException e) {
      // The next explicit flush or close reports it; a timer must not stop flushing for good.
    }
  }

  private void writeBuffer() {
    if (buffer.length() == 0) {
      return;
    }
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    try {
      out.write(bytes);
      // Cleared only once written: after a failed write the lines stay for the next flush.
      buffer.setLength(0);
      written += bytes.length;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to metrics.jsonl", e);
    }
  }

  @Override
  public void close() throws IOException {
    // shutdown, not shutdownNow: interrupting a flush in progress could lose the lines it holds.
    flusher.shutdown();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      writeBuffer();
      closed = true;
      out.close();
    }
  }

  static String quote(String s) {
    StringBuilder q = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
