package io.github.researchcycle.core.publish;

import io.github.researchcycle.core.cycle.Verdict;

/**
 * What {@code research:publish -Dresearch.check=true} found: the kept rendering matches the run records.
 *
 * @param tag the publication's tag, as its results.json names it
 * @param commit the published commit, as its results.json names it
 * @param files how many files were compared (the README included)
 * @param verdict the verdict of the pre-registered claim
 * @param reason the verdict in one sentence with its numbers
 */
public record CheckResult(String tag, String commit, int files, Verdict verdict, String reason) {}
