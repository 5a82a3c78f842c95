package io.github.researchcycle.core.cycle;

/** The stages of the research cycle, each derived from what is in the repository. */
public enum Stage {
  /** research.yaml states the question and the claim with its criterion; not yet complete and committed. */
  PROPOSED,
  /** Smoke runs: tiny data, tiny model, CPU, seconds. */
  EXPLORING,
  /** Baseline and method runs over several seeds. */
  RUNNING,
  /** The claim is evaluated from the run records. */
  CONCLUDED,
  /** The writeup, report, bundle and tag exist. */
  PUBLISHED
}
