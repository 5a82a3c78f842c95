/**
 * The statistics behind a claim's verdict, as pure functions from numbers to immutable results:
 * paired and unpaired t-tests over seeds, McNemar's exact test and the paired bootstrap over the
 * examples of a shared test set, Nadeau and Bengio's corrected resampled t-test over splits, the
 * reproduce interval against a reported value, Holm's correction, power and the number of seeds a
 * design needs, and a chooser that names the test that applies. Distributions and the tests' p-values
 * come from Apache Commons Statistics; every result carries the numbers a writeup shows.
 */
package io.github.researchcycle.core.stats;
