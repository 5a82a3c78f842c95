package io.github.researchcycle.core.ledger;

import io.github.researchcycle.core.git.CodeIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What the evidence refuses at publish: every disagreement between the ledger and the folders, and
 * claim runs whose code or experiments changed since, with the changed files and the command that
 * runs the claim again. No flag skips it.
 */
public final class EvidenceGate {
  private EvidenceGate() {}

  /** Every refusal, one line each; empty when the evidence holds together. */
  public static List<String> refusals(Path root, Evidence ev, Collection<String> claimExperiments, int seedsRequired,
      String head) {
    List<String> out = new ArrayList<>(ev.problems());
    for (String experiment : claimExperiments) {
      List<Evidence.RunStandingRow> superseded = ev.of(experiment, Standing.SUPERSEDED);
      int counted = ev.of(experiment, Standing.COUNTED).size();
      if (superseded.isEmpty() || counted >= seedsRequired) {
        continue;
      }
      Evidence.RunStandingRow newest = superseded.stream()
          .max(Comparator.comparing(Evidence.RunStandingRow::run)).orElseThrow();
      List<String> changed = newest.commit() == null || head == null ? List.of()
          : CodeIdentity.changedFiles(root, newest.commit(), head, 20);
      out.add("the " + superseded.size() + " run(s) of `" + experiment + "` ran code or experiments that changed since"
          + " (" + (changed.isEmpty() ? "commit " + (newest.commit() == null ? "?" : newest.commit().substring(0, 12))
          + " is not in this clone" : "changed: " + String.join(", ", changed)) + "), and " + counted + " of "
          + seedsRequired + " runs are of the current code. Fix: mvn research:run -Dresearch.experiment=" + experiment
          + " -Dresearch.seeds=" + seedsRequired + " (the earlier runs stay, shown as superseded), or restore the "
          + "code they ran");
    }
    return out;
  }
}
