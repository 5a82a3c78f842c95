package io.github.researchcycle.samples.fashion;

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

/**
 * Trains the smoke experiment for real, in seconds (one epoch on 6,000 images): the loss falls, the
 * test set is evaluated and the result is repeatable. Skips when Fashion-MNIST cannot be fetched.
 */
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
        try (Run run = smoke(dir, 1)) {
            last = Train.train(run);
        }
        List<MetricLine> losses = MetricsReader.read(dir.resolve("metrics.jsonl")).stream()
                .filter(l -> l.name().equals("loss")).toList();
        assertTrue(losses.size() > 10, "a loss per step was logged");
        double first = losses.get(0).value();
        double end = last.get("train_loss");
        assertTrue(end < first, "the loss fell: first step " + first + ", last epoch " + end);
        assertTrue(last.get("validate_accuracy") > 0.5, "far better than chance (0.1): " + last);
        assertTrue(last.get("test_accuracy") > 0.5, "tested on the 10,000 test images: " + last);
    }

    @Test
    void theLinearBaselineTrainsToo(@TempDir Path dir) throws Exception {
        Map<String, Double> last;
        try (Run run = smoke(dir, 3, "model.layers=0", "model.hidden=0")) {
            last = Train.train(run);
        }
        assertTrue(last.get("test_accuracy") > 0.5, "a linear classifier is far better than chance: " + last);
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
