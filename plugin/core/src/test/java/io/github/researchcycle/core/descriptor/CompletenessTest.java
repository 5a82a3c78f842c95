package io.github.researchcycle.core.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.researchcycle.core.descriptor.Descriptor.Claim;
import io.github.researchcycle.core.descriptor.Descriptor.ClaimType;
import io.github.researchcycle.core.descriptor.Descriptor.Goal;
import io.github.researchcycle.core.descriptor.Descriptor.Metric;
import io.github.researchcycle.core.descriptor.Descriptor.Paper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletenessTest {
  static final Paper PAPER = new Paper("A. Author. A paper. 2026.", null, null);
  static final Metric METRIC = new Metric("accuracy", Goal.MAXIMIZE);

  static Descriptor with(String baseline, Claim claim) {
    return new Descriptor("t", PAPER, "q?", "h.", METRIC, baseline, "method", claim, null, null, null);
  }

  @Test
  void completeImproveClaim() {
    assertEquals(List.of(), Completeness.missing(with("baseline", new Claim(ClaimType.IMPROVE, null, null, 0.0, null))));
  }

  @Test
  void completeReproduceClaimNeedsNoBaseline() {
    assertEquals(List.of(), Completeness.missing(with(null, new Claim(ClaimType.REPRODUCE, 0.9, 0.01, null, null))));
  }

  @Test
  void emptyDescriptorListsEverythingInOrder() {
    Descriptor empty = new Descriptor(null, null, null, null, null, null, null, null, null, null, null);
    assertEquals(List.of("title", "question", "hypothesis", "paper.citation", "metric.name", "metric.goal", "method",
        "claim.type"), Completeness.missing(empty));
  }

  @Test
  void blankAndTodoValuesAreMissing() {
    Descriptor d = new Descriptor("  ", new Paper("TODO: cite the paper", null, true), " TODO", "h.",
        new Metric("", null), "baseline", "method", new Claim(ClaimType.IMPROVE, null, null, 0.01, null), 5, null, null);
    assertEquals(List.of("title", "question", "paper.citation", "metric.name", "metric.goal"), Completeness.missing(d));
    // A value that merely mentions TODO later on is filled in.
    Descriptor mentions = new Descriptor("A study of TODO lists", PAPER, "q?", "h.", METRIC, "baseline", "method",
        new Claim(ClaimType.IMPROVE, null, null, 0.01, null), 5, null, null);
    assertEquals(List.of(), Completeness.missing(mentions));
  }

  @Test
  void theArchetypesExampleTextsAreRefusedUntilReplaced() {
    Descriptor generated = new Descriptor("Wider hidden layers on the UCI digits", PAPER,
        "TODO: your question, for example: Does a wider hidden layer raise validation accuracy on the UCI digits?",
        "TODO: your expected answer, for example: A 256-unit hidden layer beats the baseline by at least 1 accuracy"
            + " points.", METRIC, "baseline", "wide", new Claim(ClaimType.IMPROVE, null, null, 0.01,
        "TODO: your claim in words, for example: The wide MLP improves validation accuracy over the baseline by at"
            + " least 0.01."), 5, null, null);
    assertEquals(List.of("question", "hypothesis", "claim.statement"), Completeness.missing(generated));
    Descriptor written = new Descriptor(generated.title(), PAPER, "Does width help on digits?", "It does, by 1 point.",
        METRIC, "baseline", "wide", new Claim(ClaimType.IMPROVE, null, null, 0.01, "Wide beats baseline by 0.01."), 5,
        null, null);
    assertEquals(List.of(), Completeness.missing(written));
  }

  @Test
  void eachClaimTypeNeedsItsCriterion() {
    assertEquals(List.of("baseline", "claim.margin"),
        Completeness.missing(with(null, new Claim(ClaimType.IMPROVE, 0.9, 0.01, null, null))));
    assertEquals(List.of("claim.reported", "claim.tolerance"),
        Completeness.missing(with("baseline", new Claim(ClaimType.REPRODUCE, null, null, 0.01, null))));
    assertEquals(List.of("claim.type"), Completeness.missing(with("baseline", new Claim(null, 0.9, 0.01, 0.01, "s"))));
  }
}
