package io.github.researchcycle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  private static final List<String> DESCRIPTOR_KEYS = List.of("title", "paper", "question", "hypothesis", "metric",
      "baseline", "method", "claim", "seeds", "estimate", "scope");

  @Test
  void transpositionSuggestsTheKey() {
    assertEquals("title", DidYouMean.suggestions("titel", DESCRIPTOR_KEYS).get(0));
    assertEquals(" (did you mean `title`?)", DidYouMean.hint("titel", DESCRIPTOR_KEYS));
  }

  @Test
  void missingLetterSuggestsTheKey() {
    assertEquals(List.of("hypothesis"), DidYouMean.suggestions("hypothsis", DESCRIPTOR_KEYS));
    assertEquals("baseline", DidYouMean.suggestions("basline", DESCRIPTOR_KEYS).get(0));
  }

  @Test
  void caseIsIgnoredAndTheKnownSpellingIsReturned() {
    assertEquals("hasCode", DidYouMean.suggestions("hascode", List.of("citation", "url", "hasCode")).get(0));
  }

  @Test
  void dottedKeysAreMatchedWhole() {
    List<String> keys = List.of("optimizer.lr", "optimizer.name", "model.hidden", "training.epochs");
    assertEquals("optimizer.lr", DidYouMean.suggestions("optimizer.lrr", keys).get(0));
    assertEquals("training.epochs", DidYouMean.suggestions("trainig.epochs", keys).get(0));
  }

  @Test
  void unrelatedGivesNone() {
    assertTrue(DidYouMean.suggestions("banana", DESCRIPTOR_KEYS).isEmpty());
    assertEquals("", DidYouMean.hint("wavelength", DESCRIPTOR_KEYS));
  }

  @Test
  void atMostThreeBestFirst() {
    List<String> s = DidYouMean.suggestions("seed", List.of("seeds", "speed", "sees", "seen", "seedz", "title"));
    assertEquals(3, s.size());
    assertTrue(s.stream().noneMatch("title"::equals));
  }

  @Test
  void distanceCountsATranspositionAsOneEdit() {
    assertEquals(1, DidYouMean.distance("titel", "title"));
    assertEquals(1, DidYouMean.distance("seds", "seeds"));
    assertEquals(0, DidYouMean.distance("same", "same"));
    assertEquals(3, DidYouMean.distance("", "abc"));
  }
}
