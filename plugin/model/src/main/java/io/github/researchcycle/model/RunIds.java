package io.github.researchcycle.model;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.random.RandomGenerator;

/**
 * Makes run ids that sort by start time and do not collide: {@code 20261127-025120-123-k3f9x2ab},
 * the UTC start to the millisecond, then 40 random bits (8 base-32 letters). The store creates the
 * directory atomically and draws again in the unlikely event that it exists.
 */
public final class RunIds {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private final Clock clock;
  private final RandomGenerator random;

  /** Ids from this clock and random source (pass a SecureRandom in production). */
  public RunIds(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  /** A new id. */
  public String next() {
    StringBuilder id = new StringBuilder(28).append(STAMP.format(clock.instant())).append('-');
    long bits = random.nextLong();
    for (int i = 0; i < 8; i++) {
      id.append(ALPHABET[(int) (bits & 31)]);
      bits >>>= 5;
    }
    return id.toString();
  }

  /** Whether a string has the shape of a run id (used to refuse path tricks in user input). */
  public static boolean isValid(String id) {
    return id != null && id.matches("\\d{8}-\\d{6}-\\d{3}-[0-9a-z]{8}");
  }
}
