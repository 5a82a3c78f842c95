package io.github.researchcycle.core.stats;

/**
 * One statistical comparison with every number a writeup shows.
 *
 * @param test the test's name, e.g. "paired t-test", "Welch's t-test", "McNemar's exact test"
 * @param statisticName the statistic's symbol or description, e.g. "t"; empty when the test has none
 * @param statistic its value (NaN when the test has none, ±infinity when the spread is zero)
 * @param df the degrees of freedom (NaN when the test has none)
 * @param p the p-value for the null hypothesis stated by {@code alternative} and {@code nullValue}
 *     (NaN when the method gives none, as a bootstrap interval)
 * @param alternative the alternative hypothesis
 * @param nullValue the value of the null hypothesis: 0, the claim's margin, or the reported value
 * @param estimate the estimate: a mean difference, a mean, or a difference of accuracies
 * @param sd the standard deviation behind the estimate (of the differences, or of the values); NaN if none
 * @param interval the confidence interval of the estimate
 * @param n the number of pairs, values, examples or splits (for two unpaired groups, the smaller group)
 * @param zeroVariance whether every value (or difference) was the same, so that the interval is the
 *     estimate itself and the p-value is 0 or 1: reported as such, never as a real interval
 * @param rule one sentence naming the test, the data and the hypothesis, for the writeup
 */
public record TestResult(String test, String statisticName, double statistic, double df, double p,
    Alternative alternative, double nullValue, double estimate, double sd, Interval interval, int n,
    boolean zeroVariance, String rule) {}
