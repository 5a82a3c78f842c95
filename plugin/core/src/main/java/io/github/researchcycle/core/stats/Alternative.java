package io.github.researchcycle.core.stats;

import org.apache.commons.statistics.inference.AlternativeHypothesis;

/** The side of the null value on which a test's alternative hypothesis lies. */
public enum Alternative {
  /** H1: the parameter differs from the null value; H0: it equals it. */
  TWO_SIDED("=", AlternativeHypothesis.TWO_SIDED),
  /** H1: the parameter is above the null value; H0: it is at most the null value. */
  GREATER("≤", AlternativeHypothesis.GREATER_THAN),
  /** H1: the parameter is below the null value; H0: it is at least the null value. */
  LESS("≥", AlternativeHypothesis.LESS_THAN);

  private final String nullRelation;
  private final AlternativeHypothesis commons;

  Alternative(String nullRelation, AlternativeHypothesis commons) {
    this.nullRelation = nullRelation;
    this.commons = commons;
  }

  /** The relation of the null hypothesis, as written in a sentence: "=", "≤" or "≥". */
  public String nullRelation() {
    return nullRelation;
  }

  /** "two-sided" or "one-sided". */
  public String sides() {
    return this == TWO_SIDED ? "two-sided" : "one-sided";
  }

  AlternativeHypothesis commons() {
    return commons;
  }
}
