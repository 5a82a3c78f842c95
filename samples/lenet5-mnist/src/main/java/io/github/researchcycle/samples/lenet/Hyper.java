package io.github.researchcycle.samples.lenet;

/**
 * The hyper-parameters this repository's code reads from {@code experiments/*.yaml} (named there by
 * {@code hyper:}); the runtime reads the rest itself: {@code data.*}, {@code optimizer.*},
 * {@code training.*}. research:run checks the two against each other before training.
 */
public record Hyper(Model model) {
    /** The network: {@code linear} (the paper's linear classifier) or {@code lenet5}. */
    public record Model(String kind) {}
}
