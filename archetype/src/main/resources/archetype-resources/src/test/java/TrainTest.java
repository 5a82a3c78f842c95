package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.MetricsReader;
import io.github.researchcycle.runtime.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains the smoke experiment for real, in seconds: the loss falls and the result is repeatable. */
class TrainTest {
    private static final Path PROJECT = Path.of("").toAbsolutePath();

    /** Opens a run of the smoke experiment; a data set that cannot be fetched here skips the test. */
    private static Run smoke(Path dir, long seed, String... overrides) {
        try {
            return Run.forExperiment(PROJECT, "smoke", dir, seed, overrides);
        } catch (ResearchException e) {
            Assumptions.abort("the data set cannot be fetched on this machine: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void smokeTrainingLowersTheLossAndBeatsChance(@TempDir Path dir) throws Exception {
        Map<String, Double> last;
        try (Run run = smoke(dir, 1#if( $dataset == 'synthetic' ), "training.epochs=4"#end)) {
            last = Train.train(run);
        }
        List<MetricLine> losses = MetricsReader.read(dir.resolve("metrics.jsonl")).stream()
                .filter(l -> l.name().equals("loss")).toList();
        assertTrue(losses.size() > 10, "a loss per step was logged");
        double first = losses.get(0).value();
        double end = last.get("train_loss");
        assertTrue(end < first, "the loss fell: first step " + first + ", last epoch " + end);
#if( $dataset == 'synthetic' )
        assertTrue(last.get("validate_accuracy") > 1.0 / 3, "better than chance: " + last);
#else
        assertTrue(last.get("validate_accuracy") > 0.5, "far better than chance (0.1): " + last);
#end
    }

    @Test
    void sameSeedGivesIdenticalMetrics(@TempDir Path a, @TempDir Path b) throws Exception {
        Map<String, Double> first;
        Map<String, Double> second;
        try (Run run = smoke(a, 7)) {
            first = Train.train(run);
        }
        try (Run run = smoke(b, 7)) {
            second = Train.train(run);
        }
        assertEquals(first, second);
    }
}
