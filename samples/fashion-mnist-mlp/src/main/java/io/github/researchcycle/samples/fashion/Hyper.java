package io.github.researchcycle.samples.fashion;

/**
 * The hyper-parameters this repository's code reads from {@code experiments/*.yaml} (named there by
 * {@code hyper:}); the runtime reads the rest itself: {@code data.*}, {@code optimizer.*},
 * {@code training.*}. research:run checks the two against each other before training.
 */
public record Hyper(Model model) {
    /** The network: {@code layers} hidden layers of {@code hidden} units (0 layers: a linear classifier). */
    public record Model(int hidden, int layers) {}
}
