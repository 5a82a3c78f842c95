package io.github.researchcycle.core.launch;

import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.core.store.RunStore;
import java.io.IOException;
import java.util.List;

/**
 * Starts prepared runs on one target ({@code local}, {@code slurm}, {@code kubernetes},
 * {@code tpu-vm}) and follows them. Every target leaves the same run records: the record is
 * created before the launch, and the launcher keeps its status, launch details and end up to date.
 */
public interface Launcher {
  /**
   * Checks, before any record or folder is made, that this machine can launch on the target
   * ({@code kubectl} reaches a cluster, {@code gcloud} has an account); does nothing by default.
   *
   * @param profileName the profile's name, for messages ({@code launch/NAME.yaml})
   * @param profile the profile
   * @param dryRun whether only the launch files will be written (then nothing is needed)
   * @throws io.github.researchcycle.core.ResearchException naming what is missing and the fix
   */
  default void check(String profileName, LaunchProfile profile, boolean dryRun) {}

  /**
   * Starts {@code runs} (their records already written, each with its own folder) and, when
   * {@link LaunchContext#waitForEnd()}, follows them to their end.
   *
   * @return the records as they stand when the launcher returns: ended, or queued/running when
   *     not waiting
   * @throws IOException when a record cannot be written
   */
  List<RunRecord> launch(LaunchContext context, List<RunRecord> runs) throws IOException;

  /**
   * Brings the records of runs this target started, and that are still queued or running, up to
   * date with what the target says of them (for {@code research:status} and later launches).
   *
   * @return the records it changed
   * @throws IOException when a record cannot be written
   */
  default List<RunRecord> reconcile(RunStore store, List<RunRecord> active) throws IOException {
    return List.of();
  }
}
