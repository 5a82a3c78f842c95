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
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code url} source: an HTTP(S) download into the temporary file, resumed with a
 * {@code Range} request when a partial file is there, retried on I/O errors and on 408, 429 and
 * 5xx answers with a growing wait that honours the server's {@code Retry-After}.
 */
final class UrlFetcher implements Fetcher {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  private final String base;
  private final Retries retries;

  UrlFetcher(DataManifest.UrlSource source, Duration backoff) {
    this(source, Retries.standard(backoff));
  }

  UrlFetcher(DataManifest.UrlSource source, Retries retries) {
    this.base = source.base().endsWith("/") ? source.base() : source.base() + "/";
    this.retries = retries;
  }

  /** The URL of a file. */
  URI uri(String name) {
    return URI.create(base + name);
  }

  @Override
  public void fetch(DataManifest.FileEntry file, Path part, Reporter reporter) throws IOException {
    URI uri = uri(file.name());
    Duration waited = Duration.ZERO;
    for (int n = 1; ; n++) {
      final int attempt = n;
      Retryable failure;
      try {
        download(uri, file, part, reporter);
        return;
      } catch (Fatal e) {
        throw new SourceException(e.getMessage());
      } catch (Retryable e) {
        failure = e;
      } catch (IOException e) {
        failure = new Retryable(0, Objects.toString(e.getMessage(), e.getClass().getSimpleName()), Optional.empty());
      }
      Optional<Duration> asked = retries.retryAfter(failure.retryAfter);
      Duration left = retries.totalWait().minus(waited);
      Duration wait = asked.orElseGet(() -> min(retries.backoff(attempt), left));
      String tries = attempt + (attempt == 1 ? " attempt" : " attempts");
      String why = null;
      if (attempt >= retries.attempts()) {
        why = "after " + tries;
      } else if (wait.compareTo(left) > 0) {
        why = "after " + tries + ": the server asks to wait " + seconds(wait) + " (Retry-After), more than the "
            + seconds(left) + " left of the " + seconds(retries.totalWait()) + " a download may wait";
      } else if (left.isZero()) {
        why = "after " + tries + " and " + seconds(retries.totalWait()) + " of waiting";
      }
      if (why != null) {
        throw new SourceException("gave up on " + uri + " " + why + ": " + failure.getMessage() + "; "
            + fix(failure.status), failure);
      }
      reporter.warn("Download of " + uri + " failed (" + failure.getMessage() + "); trying again in "
          + seconds(wait) + (asked.isPresent() ? " as the server asks" : "") + " (" + attempt + " of "
          + (retries.attempts() - 1) + ").");
      try {
        retries.sleeper().sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SourceException("interrupted while waiting to retry " + uri, e);
      }
      waited = waited.plus(wait);
    }
  }

  /** What the user can do when retrying did not help (the data service adds the manifest to fix). */
  private static String fix(int status) {
    if (status == 429) {
      return "the server limits how often it may be asked: fetch again later, or add a mirror as another source";
    }
    if (status >= 500 || status == 408) {
      return "the server is failing or slow: fetch again later, or add a mirror as another source";
    }
    return "check the network connection (and the proxy, if one is needed), then fetch again";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A wait as the user reads it. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms >= 1000 || ms == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  /** A failure that retrying may fix: an HTTP status worth retrying (0 for an I/O failure). */
  private static final class Retryable extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final transient Optional<String> retryAfter;

    Retryable(int status, String message, Optional<String> retryAfter) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  /** A failure that retrying cannot fix (4xx, a file larger than declared). */
  private static final class Fatal extends IOException {
    private static final long serialVersionUID = 1L;

    Fatal(String message) {
      super(message);
    }
  }

  /** HTTP statuses worth another try: a request timeout, throttling, and server errors. */
  static boolean retryable(int status) {
    return status == 408 || status == 429 || status >= 500 && status < 600;
  }

  private static String reason(int status) {
    return switch (status) {
      case 401 -> " (unauthorized: the URL needs credentials; point the manifest at a public copy)";
      case 403 -> " (forbidden)";
      case 404 -> " (not found)";
      case 408 -> " (request timeout)";
      case 429 -> " (too many requests)";
      case 500 -> " (internal server error)";
      case 502 -> " (bad gateway)";
      case 503 -> " (service unavailable)";
      case 504 -> " (gateway timeout)";
      default -> "";
    };
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
      } else if (retryable(status)) {
        throw new Retryable(status, "HTTP " + status + reason(status),
            response.headers().firstValue("Retry-After"));
      } else {
        throw new Fatal("HTTP " + status + reason(status) + " from " + uri);
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
