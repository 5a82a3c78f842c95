package io.github.researchcycle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RunIdsTest {
  @Test
  void idsAreValidAndCarryTheUtcTime() {
    RunIds ids = new RunIds(Clock.fixed(Instant.parse("2026-11-27T02:51:20.123Z"), ZoneOffset.UTC), new SecureRandom());
    String id = ids.next();
    assertTrue(RunIds.isValid(id), id);
    assertTrue(id.startsWith("20261127-025120-123-"), id);
    assertEquals(28, id.length());
  }

  @Test
  void idsSortByTime() {
    Instant now = Instant.parse("2026-12-31T23:59:59.990Z");
    SplittableRandom random = new SplittableRandom(42);
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      made.add(new RunIds(Clock.fixed(now, ZoneOffset.UTC), random).next());
      now = now.plus(Duration.ofMillis(i % 7 == 0 ? 1 : 37));
    }
    List<String> sorted = new ArrayList<>(made);
    sorted.sort(null);
    assertEquals(made, sorted);
    assertTrue(made.stream().allMatch(RunIds::isValid));
  }

  @Test
  void randomPartUsesTheWholeAlphabet() {
    RunIds ids = new RunIds(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), new SplittableRandom(1));
    var letters = new HashSet<Character>();
    for (int i = 0; i < 500; i++) {
      ids.next().substring(20).chars().forEach(c -> letters.add((char) c));
    }
    assertEquals(32, letters.size());
  }

  @Test
  void isValidRefusesPathTricks() {
    assertFalse(RunIds.isValid(null));
    assertFalse(RunIds.isValid(""));
    assertFalse(RunIds.isValid("../20261127-025120-123-k3f9x2ab"));
    assertFalse(RunIds.isValid("20261127-025120-123-k3f9x2a"));
    assertFalse(RunIds.isValid("20261127-025120-123-K3F9X2AB"));
    assertFalse(RunIds.isValid("20261127-025120-123-k3f9x2ab\n"));
    assertTrue(RunIds.isValid("20261127-025120-123-k3f9x2ab"));
  }
}
