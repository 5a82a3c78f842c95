package ${package};

import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import io.github.researchcycle.runtime.Run;
import io.github.researchcycle.runtime.data.DataSets;
import java.util.Map;

/**
 * The training entry point, started by {@code mvn research:run} in a JVM of its own. The research
 * is here: the network, the loss, the evaluators. The batch, optimizer and schedule, devices,
 * metrics, checkpoints, resumption and the test pass come from the runtime, through
 * {@code experiments/*.yaml} and {@code launch/*.yaml}.
 */
public final class Train {
    private Train() {}

    public static void main(String[] args) throws Exception {
        try (Run run = Run.current()) {
            train(run);
        }
    }

    /** Trains the experiment of {@code run}; returns the last epoch's metrics and the test metrics. */
    public static Map<String, Double> train(Run run) throws Exception {
        Hyper h = run.config(Hyper.class);
#if( $dataset == 'synthetic' )
        SyntheticData points = SyntheticData.spirals(h.data().samples(), h.data().classes(), h.data().noise(), run.seed());
        DataSets.Loaded data = run.data(points.x(), points.y(), 2);
#else
        DataSets.Loaded data = run.data(); // data/${dataset}.yaml: files, splits, CSV columns
#end
        return run.fit(Network.mlp(data.classes(), h.model().hidden(), h.model().layers()),
                Loss.softmaxCrossEntropyLoss(), new Accuracy());
    }
}
