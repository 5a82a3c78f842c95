package io.github.researchcycle.core.cycle;

import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many runs of one experiment were tried and how they ended.
 *
 * @param tried every run record
 * @param finished exited 0
 * @param failed exited non-zero, or could not start
 * @param crashed killed or vanished
 * @param interrupted stopped on request
 * @param running still going
 * @param dirty started on uncommitted changes
 * @param computeSeconds the wall time of all of them
 */
public record RunCounts(int tried, int finished, int failed, int crashed, int interrupted, int running, int dirty,
    double computeSeconds) {

  /**
   * Counts per experiment, sorted by name; runs with a purpose of their own (learning-rate range
   * tests) are counted apart, as {@code EXPERIMENT (lr-find)}.
   */
  public static Map<String, RunCounts> of(List<RunRecord> runs) {
    Map<String, RunCounts> counts = new TreeMap<>();
    for (RunRecord r : runs) {
      String key = r.isExperimentRun() ? r.experiment() : r.experiment() + " (" + r.purpose() + ")";
      RunCounts c = counts.getOrDefault(key, new RunCounts(0, 0, 0, 0, 0, 0, 0, 0));
      counts.put(key, new RunCounts(c.tried + 1,
          c.finished + (r.status() == RunStatus.FINISHED ? 1 : 0),
          c.failed + (r.status() == RunStatus.FAILED ? 1 : 0),
          c.crashed + (r.status() == RunStatus.CRASHED ? 1 : 0),
          c.interrupted + (r.status() == RunStatus.INTERRUPTED || r.status() == RunStatus.CANCELLED
              || r.status() == RunStatus.TIMED_OUT ? 1 : 0),
          c.running + (r.status().active() && !r.dryRun() ? 1 : 0),
          c.dirty + (r.git() != null && !r.git().clean() ? 1 : 0),
          c.computeSeconds + (r.durationSeconds() == null ? 0 : r.durationSeconds())));
    }
    return counts;
  }
}
