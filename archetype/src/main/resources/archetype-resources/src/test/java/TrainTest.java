package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.store.MetricLine;
import io.github.researchcycle.core.store.MetricsReader;
import io.github.researchcycle.runtime.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains the smoke experiment for real, in seconds: the loss falls and the result is repeatable. */
class TrainTest {
    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @Test
    void smokeTrainingLowersTheLossAndBeatsChance(@TempDir Path dir) throws Exception {
        Map<String, Double> last;
        try (Run run = Run.forExperiment(PROJECT, "smoke", dir, 1, "training.epochs=4")) {
            last = Train.train(run);
        }
        List<MetricLine> losses = MetricsReader.read(dir.resolve("metrics.jsonl")).stream()
                .filter(l -> l.name().equals("loss")).toList();
        assertTrue(losses.size() > 10, "a loss per step was logged");
        double first = losses.get(0).value();
        double end = last.get("train_loss");
        assertTrue(end < first, "the loss fell: first step " + first + ", last epoch " + end);
        assertTrue(last.get("validate_accuracy") > 1.0 / 3, "better than chance: " + last);
    }

    @Test
    void sameSeedGivesIdenticalMetrics(@TempDir Path a, @TempDir Path b) throws Exception {
        Map<String, Double> first;
        Map<String, Double> second;
        try (Run run = Run.forExperiment(PROJECT, "smoke", a, 7)) {
            first = Train.train(run);
        }
        try (Run run = Run.forExperiment(PROJECT, "smoke", b, 7)) {
            second = Train.train(run);
        }
        assertEquals(first, second);
    }
}
