package io.github.researchcycle.core.ledger;

import io.github.researchcycle.core.FileTrees;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.RunFiles;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code research:delete}: the one way to remove a run. The ledger records the run and the reason
 * first; the folder goes after; the writeup lists the run as deleted, with that reason.
 */
public final class RunDeletion {
  private final Clock clock;

  /** Deletions stamped by {@code clock}. */
  public RunDeletion(Clock clock) {
    this.clock = clock;
  }

  /** Declares run {@code id} of the research folder {@code root} deleted for {@code reason}, then removes it. */
  public LedgerEvent.RunDeleted delete(Path root, String id, String reason) throws IOException {
    if (id == null || id.isBlank()) {
      throw new ResearchException("research:delete needs the run to delete. Fix: mvn research:delete "
          + "-Dresearch.run=RUN_ID -Dresearch.reason=\"why\" (ids are in runs/ and mvn research:status).");
    }
    if (!RunIds.isValid(id)) {
      throw new ResearchException("`" + id + "` is not a run id (they look like 20261127-025120-123-k3f9x2ab). "
          + "Fix: copy one from runs/ or from mvn research:status.");
    }
    if (reason == null || reason.isBlank()) {
      throw new ResearchException("Deleting run " + id + " needs a reason, which the ledger and the writeup show. "
          + "Fix: mvn research:delete -Dresearch.run=" + id + " -Dresearch.reason=\"why it does not count\"");
    }
    Path dir = root.resolve(RunFiles.RUNS).resolve(id);
    Path runJson = dir.resolve(RunFiles.RUN_JSON);
    if (!Files.isRegularFile(runJson)) {
      throw new ResearchException("runs/" + id + " does not exist. Fix: pick an id from runs/ or mvn research:status.");
    }
    RunRecord record = Json.mapper().readValue(runJson.toFile(), RunRecord.class);
    if (record.status().active()) {
      throw new ResearchException("Run " + id + " is " + record.status().json() + "; a live run cannot be deleted. "
          + "Fix: wait for it to end (or stop it), then delete it.");
    }
    if (Ledger.read(LedgerRecorder.file(root)).about(id).isEmpty()) {
      throw new ResearchException("Run " + id + " has no entry in the ledger, so deleting it would leave no trace. "
          + "Fix: mvn research:audit -Dresearch.audit.adopt=true first if it predates the ledger.");
    }
    LedgerEvent.RunDeleted event = new LedgerEvent.RunDeleted(id, record.experiment(), record.seed(),
        record.status().json(), reason.strip());
    LedgerFile.append(root, event, clock.instant());
    FileTrees.delete(dir);
    return event;
  }
}
