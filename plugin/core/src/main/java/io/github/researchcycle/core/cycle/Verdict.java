package io.github.researchcycle.core.cycle;

/** The judgement of a claim against its pre-registered criterion. */
public enum Verdict {
  /** The criterion is met with 95 % confidence. */
  POSITIVE,
  /** The criterion is missed with 95 % confidence: a result, and publishable as one. */
  NEGATIVE,
  /** Too few seeds, or an interval that straddles the criterion. */
  INCONCLUSIVE
}
