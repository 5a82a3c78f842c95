package io.github.researchcycle.core.verify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/RUN_ID/verification.json}: a recorded run re-run from its commit, config and seed,
 * and every final metric compared.
 *
 * @param run the verified run
 * @param verifiedAt when
 * @param commit the commit checked out and rebuilt
 * @param tolerance the largest absolute difference accepted (0: bit-identical)
 * @param passed whether every final metric is within the tolerance
 * @param trajectoryIdentical whether every logged value (step, epoch, name, value) is bit-identical
 * @param metrics the comparison per final metric
 * @param folder the folder of the re-run, relative to the run's folder
 * @param environment the environment of the re-run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verification(String run, Instant verifiedAt, String commit, double tolerance, boolean passed,
    boolean trajectoryIdentical, List<MetricCheck> metrics, String folder, Map<String, Object> environment) {

  /**
   * One metric compared.
   *
   * @param name the metric
   * @param recorded its value in the run record
   * @param reproduced its value in the re-run (null when the re-run did not log it)
   * @param difference reproduced minus recorded
   * @param identical whether the two are the same double, bit for bit
   */
  public record MetricCheck(String name, Double recorded, Double reproduced, Double difference, boolean identical) {}
}
