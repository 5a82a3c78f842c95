package io.github.researchcycle.core.data;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How a download is tried again: at most {@code attempts} tries, waits that double from
 * {@code firstWait} up to {@code longestWait} (or what the server's {@code Retry-After} asks), and
 * no more than {@code totalWait} of waiting in all; the clock reads HTTP dates, the sleeper waits.
 */
record Retries(int attempts, Duration firstWait, Duration longestWait, Duration totalWait, Clock clock,
    Sleeper sleeper) {

  /** Waits; tests pass one that only advances a fake clock. */
  @FunctionalInterface
  interface Sleeper {
    /** Blocks for {@code d}. */
    void sleep(Duration d) throws InterruptedException;
  }

  /** The real sleeper. */
  static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  Retries {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
  }

  /** Four tries, waits from {@code firstWait} doubling up to a minute, five minutes in all, real time. */
  static Retries standard(Duration firstWait) {
    return new Retries(4, firstWait, Duration.ofMinutes(1), Duration.ofMinutes(5), Clock.systemUTC(), THREAD_SLEEP);
  }

  /** The wait before retry number {@code retry} (1 for the first retry) without a server's word. */
  Duration backoff(int retry) {
    Duration d = firstWait;
    for (int i = 1; i < retry && d.compareTo(longestWait) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(longestWait) > 0 ? longestWait : d;
  }

  /**
   * A {@code Retry-After} value as a wait from now: whole seconds, or an HTTP date (a date in the
   * past is no wait); empty when the header is absent or unreadable.
   */
  Optional<Duration> retryAfter(Optional<String> header) {
    if (header.isEmpty() || header.get().isBlank()) {
      return Optional.empty();
    }
    String v = header.get().trim();
    if (v.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
