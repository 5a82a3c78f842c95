package io.github.researchcycle.core.data;

import io.github.researchcycle.core.run.Reporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code url} source: an HTTP(S) download into the temporary file, resumed with a
 * {@code Range} request when a partial file is there, retried on I/O errors and 5xx answers.
 */
final class UrlFetcher implements Fetcher {
  /** How many times a failed download is tried again. */
  static final int RETRIES = 3;

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  private final String base;
  private final Duration backoff;

  UrlFetcher(DataManifest.UrlSource source, Duration backoff) {
    this.base = source.base().endsWith("/") ? source.base() : source.base() + "/";
    this.backoff = backoff;
  }

  /** The URL of a file. */
  URI uri(String name) {
    return URI.create(base + name);
  }

  @Override
  public void fetch(DataManifest.FileEntry file, Path part, Reporter reporter) throws IOException {
    URI uri = uri(file.name());
    IOException last = null;
    for (int attempt = 0; attempt <= RETRIES; attempt++) {
      if (attempt > 0) {
        long wait = backoff.toMillis() << (attempt - 1);
        reporter.warn("Download of " + uri + " failed (" + last.getMessage() + "); trying again in "
            + (wait >= 1000 ? wait / 1000 + " s" : wait + " ms") + " (" + attempt + " of " + RETRIES + ").");
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SourceException("interrupted while waiting to retry " + uri, e);
        }
      }
      try {
        download(uri, file, part, reporter);
        return;
      } catch (Fatal e) {
        throw new SourceException(e.getMessage());
      } catch (IOException e) {
        last = e;
      }
    }
    throw new SourceException("gave up on " + uri + " after " + (RETRIES + 1) + " attempts: " + last.getMessage(),
        last);
  }

  /** A failure that retrying cannot fix (4xx, a file larger than declared). */
  private static final class Fatal extends IOException {
    private static final long serialVersionUID = 1L;

    Fatal(String message) {
      super(message);
    }
  }

  private void download(URI uri, DataManifest.FileEntry file, Path part, Reporter reporter) throws IOException {
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    if (have > file.size()) {
      Files.delete(part);
      have = 0;
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET()
        .header("User-Agent", "research-cycle");
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> response;
    try {
      response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException("interrupted while downloading " + uri, e);
    }
    int status = response.statusCode();
    boolean append;
    try (InputStream body = response.body()) {
      if (status == 206 && have > 0) {
        String range = response.headers().firstValue("Content-Range").orElse("");
        if (!range.startsWith("bytes " + have + "-")) {
          Files.deleteIfExists(part);
          throw new IOException("the server resumed at another offset (Content-Range: " + range + ")");
        }
        append = true;
        reporter.info("Resuming " + file.name() + " at " + size(have) + " of " + size(file.size()) + ".");
      } else if (status == 416 && have > 0) {
        Files.deleteIfExists(part);
        throw new IOException("the server refused to resume (HTTP 416); starting over");
      } else if (status >= 200 && status < 300) {
        append = false;
        have = 0;
      } else if (status >= 500) {
        throw new IOException("HTTP " + status + " from " + uri);
      } else {
        throw new Fatal("HTTP " + status + " from " + uri + (status == 404 ? " (not found)" : ""));
      }
      Progress progress = new Progress(file.name(), file.size(), have, reporter);
      try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        long total = have;
        while ((n = body.read(buffer)) > 0) {
          total += n;
          if (total > file.size()) {
            out.close();
            Files.deleteIfExists(part);
            throw new Fatal(uri + " is larger than the manifest's " + file.size() + " bytes");
          }
          out.write(buffer, 0, n);
          progress.advance(total);
        }
        progress.done(total);
        if (total < file.size()) {
          throw new IOException("the connection ended after " + total + " of " + file.size() + " bytes");
        }
      }
    }
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
  }

  /** A bar redrawn in place on a terminal; otherwise a line every few seconds. */
  private static final class Progress {
    private final String name;
    private final long size;
    private final Reporter reporter;
    private final long start = System.nanoTime();
    private long lastShown = System.nanoTime();
    private boolean drawn;

    Progress(String name, long size, long from, Reporter reporter) {
      this.name = name;
      this.size = size;
      this.reporter = reporter;
    }

    void advance(long total) {
      long now = System.nanoTime();
      boolean terminal = reporter.terminal();
      if (now - lastShown < (terminal ? 200_000_000L : 5_000_000_000L)) {
        return;
      }
      lastShown = now;
      if (terminal) {
        int width = 30;
        int filled = size == 0 ? width : (int) (width * total / size);
        String bar = "\r  " + name + " [" + "=".repeat(filled) + " ".repeat(width - filled) + "] "
            + size(total) + " / " + size(size);
        write(bar);
        drawn = true;
      } else {
        reporter.info("  " + name + ": " + size(total) + " of " + size(size)
            + String.format(Locale.ROOT, " (%d%%)", size == 0 ? 100 : 100 * total / size));
      }
    }

    void done(long total) {
      if (drawn) {
        write("\r" + " ".repeat(80) + "\r");
      }
      double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
      reporter.info("  " + name + ": " + size(total) + " downloaded"
          + (seconds > 1 ? String.format(Locale.ROOT, " in %.1f s", seconds) : "") + ".");
    }

    private void write(String s) {
      try {
        reporter.console().write(s.getBytes(StandardCharsets.UTF_8));
        reporter.console().flush();
      } catch (IOException e) {
        // The bar is a courtesy.
      }
    }
  }
}
