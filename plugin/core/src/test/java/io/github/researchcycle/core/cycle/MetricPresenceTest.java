package io.github.researchcycle.core.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A claim metric that no run logs is named with the metrics the runs do log. */
class MetricPresenceTest {
  private static RunRecord run(String experiment, RunStatus status, Map<String, Double> finals) {
    return new RunRecord(RunRecord.SCHEMA, "20261204-100000-000-aaaaaaaa", experiment, "local", status, null,
        Instant.EPOCH, Instant.EPOCH, 1.0, 0, "h", 1L, new GitProvenance("c", "main", true, null, List.of(), ""),
        false, null, "sha256:x", List.of(), List.of(), "Train", 1, Map.of(), Map.of(), null, List.of(), finals, null,
        null);
  }

  private static Descriptor descriptor(String metric) {
    return new Descriptor("t", null, "q", "h", new Descriptor.Metric(metric, Descriptor.Goal.MAXIMIZE), "baseline",
        "wide", new Descriptor.Claim(Descriptor.ClaimType.IMPROVE, null, null, 0.01, null), null, null, null);
  }

  @Test
  void aMetricNoFinishedRunLogsIsNamedWithTheOnesTheyDo() {
    List<RunRecord> runs = List.of(run("wide", RunStatus.FINISHED, Map.of("validate_accuracy", 0.9, "loss", 0.3)),
        run("wide", RunStatus.FAILED, Map.of("test_acc", 0.1)));
    Optional<String> p = MetricPresence.problem(descriptor("test_acc"), runs);
    assertTrue(p.isPresent());
    assertTrue(p.get().contains("metric.name `test_acc` is logged by no finished run of `wide` or `baseline`; they "
        + "log loss, validate_accuracy"), p.get());
  }

  @Test
  void aLoggedMetricOrNoFinishedRunYetIsNoProblem() {
    assertEquals(Optional.empty(), MetricPresence.problem(descriptor("loss"),
        List.of(run("wide", RunStatus.FINISHED, Map.of("loss", 0.3)))));
    assertEquals(Optional.empty(), MetricPresence.problem(descriptor("loss"),
        List.of(run("wide", RunStatus.RUNNING, Map.of()))));
  }
}
