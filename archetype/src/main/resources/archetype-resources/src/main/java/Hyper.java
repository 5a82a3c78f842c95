package ${package};

/**
 * The hyper-parameters this repository's code reads from {@code experiments/*.yaml} (named there by
 * {@code hyper:}); the runtime reads the rest itself: {@code data.name}, {@code data.validation},
 * {@code optimizer.*}, {@code training.*}. research:run checks the two against each other before
 * training: a key no component reads, or a component no experiment sets, is one line naming it.
 */
#if( $dataset == 'synthetic' )
public record Hyper(Model model, Data data) {
#else
public record Hyper(Model model) {
#end
    /** The network: {@code layers} hidden layers of {@code hidden} units. */
    public record Model(int hidden, int layers) {}
#if( $dataset == 'synthetic' )

    /** The generated spirals: points, arms and noise. */
    public record Data(int samples, int classes, double noise) {}
#end
}
