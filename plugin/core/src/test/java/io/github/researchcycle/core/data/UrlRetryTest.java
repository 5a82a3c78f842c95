package io.github.researchcycle.core.data;

import io.github.researchcycle.core.MutableClock;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.data.TestServer.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Retrying a download: which statuses, how long, Retry-After; no real time passes (a fake sleeper). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UrlRetryTest {
  static final Instant START = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir Path root;
  TestServer server;
  final byte[] body = "a,b\n1,2\n3,4\n".getBytes(StandardCharsets.US_ASCII);
  final DataManifest.FileEntry entry = new DataManifest.FileEntry("t.csv", (long) body.length, null);
  final FakeTime time = new FakeTime();
  final DataFixtures.Lines reporter = new DataFixtures.Lines();

  /** A clock that moves only when the sleeper sleeps; it records every wait. */
  static final class FakeTime extends MutableClock {
    final List<Duration> waits = new ArrayList<>();

    FakeTime() {
      super(START);
    }

    void sleep(Duration d) {
      waits.add(d);
      advance(d);
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = new TestServer();
    server.files.put("t.csv", body);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  UrlFetcher fetcher(int attempts, Duration total) {
    return new UrlFetcher(new DataManifest.UrlSource(server.base()),
        new Retries(attempts, Duration.ofSeconds(1), Duration.ofSeconds(8), total, time, time::sleep));
  }

  Path part() {
    return root.resolve("t.csv.part");
  }

  @Test
  void throttlingTimeoutsAndServerErrorsAreRetriedWithDoublingWaits() throws Exception {
    server.answer("t.csv", new Answer(429, null), new Answer(408, null), new Answer(503, null), new Answer(502, null));
    fetcher(6, Duration.ofMinutes(5)).fetch(entry, part(), reporter);
    assertArrayEquals(body, Files.readAllBytes(part()));
    assertEquals(5, server.requests("t.csv"));
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)),
        time.waits);
    assertTrue(reporter.toString().contains("HTTP 429 (too many requests)"), reporter.toString());
  }

  @Test
  void waitsAreCappedAtTheLongestWait() throws Exception {
    server.answer("t.csv", new Answer(500, null), new Answer(500, null), new Answer(500, null), new Answer(500, null),
        new Answer(500, null), new Answer(500, null));
    fetcher(7, Duration.ofMinutes(5)).fetch(entry, part(), reporter);
    assertEquals(List.of(1L, 2L, 4L, 8L, 8L, 8L), time.waits.stream().map(Duration::toSeconds).toList());
  }

  @Test
  void retryAfterInSecondsIsHonoured() throws Exception {
    server.answer("t.csv", new Answer(429, "7"), new Answer(503, "0"));
    fetcher(4, Duration.ofMinutes(5)).fetch(entry, part(), reporter);
    assertEquals(List.of(Duration.ofSeconds(7), Duration.ZERO), time.waits);
    assertTrue(reporter.toString().contains("as the server asks"), reporter.toString());
  }

  @Test
  void retryAfterAsAnHttpDateIsHonoured() throws Exception {
    String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(START.plusSeconds(90).atZone(ZoneOffset.UTC));
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(START.minusSeconds(30).atZone(ZoneOffset.UTC));
    server.answer("t.csv", new Answer(503, in90s), new Answer(503, past), new Answer(503, "soon"));
    fetcher(4, Duration.ofMinutes(5)).fetch(entry, part(), reporter);
    // A date in the past is no wait; an unreadable value falls back to the backoff of the third retry.
    assertEquals(List.of(Duration.ofSeconds(90), Duration.ZERO, Duration.ofSeconds(4)), time.waits);
  }

  @Test
  void boundedAttemptsEndInOneLineWithUrlStatusAndFix() {
    server.answer("t.csv", new Answer(503, null), new Answer(503, null), new Answer(503, null));
    SourceException e = assertThrows(SourceException.class, () -> fetcher(3, Duration.ofMinutes(5))
        .fetch(entry, part(), reporter));
    assertEquals("gave up on " + server.base() + "t.csv after 3 attempts: HTTP 503 (service unavailable); the server "
        + "is failing or slow: fetch again later, or add a mirror as another source", e.getMessage());
    assertEquals(3, server.requests("t.csv"));
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), time.waits);
  }

  @Test
  void aRetryAfterBeyondTheTotalWaitGivesUpAtOnce() {
    server.answer("t.csv", new Answer(429, "3600"));
    SourceException e = assertThrows(SourceException.class, () -> fetcher(5, Duration.ofMinutes(5))
        .fetch(entry, part(), reporter));
    assertEquals("gave up on " + server.base() + "t.csv after 1 attempt: the server asks to wait 3600 s (Retry-After), "
        + "more than the 300 s left of the 300 s a download may wait: HTTP 429 (too many requests); the server limits "
        + "how often it may be asked: fetch again later, or add a mirror as another source", e.getMessage());
    assertEquals(1, server.requests("t.csv"));
    assertEquals(List.of(), time.waits);
  }

  @Test
  void theTotalWaitBoundsTheBackoff() {
    server.answer("t.csv", new Answer(500, null), new Answer(500, null), new Answer(500, null), new Answer(500, null));
    SourceException e = assertThrows(SourceException.class, () -> fetcher(10, Duration.ofSeconds(5))
        .fetch(entry, part(), reporter));
    // 1 s + 2 s, then 2 s (what is left instead of 4 s), then nothing left.
    assertEquals(List.of(1L, 2L, 2L), time.waits.stream().map(Duration::toSeconds).toList());
    assertTrue(e.getMessage().startsWith("gave up on " + server.base() + "t.csv after 4 attempts and 5 s of waiting: "
        + "HTTP 500"), e.getMessage());
  }

  @Test
  void otherClientErrorsAreNotRetried() {
    server.answer("t.csv", new Answer(403, null));
    SourceException e = assertThrows(SourceException.class, () -> fetcher(5, Duration.ofMinutes(5))
        .fetch(entry, part(), reporter));
    assertEquals(1, server.requests("t.csv"));
    assertEquals(List.of(), time.waits);
    assertTrue(e.getMessage().contains("HTTP 403 (forbidden) from " + server.base() + "t.csv"), e.getMessage());
  }

  @Test
  void retryAfterParsing() {
    Retries r = new Retries(3, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1), time, time::sleep);
    assertEquals(Optional.of(Duration.ofSeconds(120)), r.retryAfter(Optional.of(" 120 ")));
    assertEquals(Optional.of(Duration.ofSeconds(61)), r.retryAfter(Optional.of("Fri, 04 Dec 2026 12:01:01 GMT")));
    assertEquals(Optional.empty(), r.retryAfter(Optional.of("-5")));
    assertEquals(Optional.empty(), r.retryAfter(Optional.empty()));
    assertFalse(UrlFetcher.retryable(404));
    assertTrue(UrlFetcher.retryable(599));
  }
}
