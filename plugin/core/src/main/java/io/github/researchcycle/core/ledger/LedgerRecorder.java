package io.github.researchcycle.core.ledger;

import io.github.researchcycle.core.config.YamlFiles;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.CodeIdentity;
import io.github.researchcycle.core.git.GitHistory;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.RunFiles;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEntry;
import io.github.researchcycle.model.ledger.LedgerEvent;
import io.github.researchcycle.model.ledger.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the ledger as the run store writes records: a run's start, resumption and end (with the
 * hashes of its files), and the claim when the first full run starts or when it changed since.
 */
public final class LedgerRecorder implements RunStore.Listener {
  private final Path root;
  private final Clock clock;

  /** A recorder for the research folder {@code root}. */
  public LedgerRecorder(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
  }

  /** The ledger file of a research folder. */
  public static Path file(Path root) {
    return root.resolve(RunFiles.LEDGER);
  }

  @Override
  public void written(RunRecord before, RunRecord after, Path dir) throws IOException {
    if (before == null) {
      if (claimRelevant(after)) {
        recordClaim(after.git().commit());
      }
      LedgerFile.append(root, started(after), clock.instant());
      if (!after.status().active()) {
        // Created in its final state (a launch that failed before any process ran).
        LedgerFile.append(root, ended(after, dir), clock.instant());
      }
      return;
    }
    int resumesBefore = before.resumes() == null ? 0 : before.resumes().size();
    int resumesAfter = after.resumes() == null ? 0 : after.resumes().size();
    if (resumesAfter > resumesBefore) {
      String commit = after.git() == null ? null : after.git().commit();
      LedgerFile.append(root, new LedgerEvent.RunResumed(after.id(), commit, identity(after)), clock.instant());
      return;
    }
    if (!after.status().active() && (before.status().active() || !before.equals(after))) {
      LedgerFile.append(root, ended(after, dir), clock.instant());
    }
  }

  /** The end entry of a run whose files are as they are now. */
  LedgerEvent.RunEnded ended(RunRecord r, Path dir) throws IOException {
    return new LedgerEvent.RunEnded(r.id(), r.status().json(), r.experiment(), r.seed(), identity(r),
        r.configHash(), Sha256.ofFile(dir.resolve(RunFiles.RUN_JSON)), Sha256.ofFile(dir.resolve(RunFiles.METRICS)));
  }

  private LedgerEvent.RunStarted started(RunRecord r) {
    return new LedgerEvent.RunStarted(r.id(), r.experiment(), r.seed(), r.profile(), r.purpose(),
        r.sweep() == null ? null : r.sweep().name(), r.git() == null ? null : r.git().commit(),
        r.git() != null && r.git().clean(), identity(r), r.configHash(),
        r.overrides() == null ? List.of() : r.overrides());
  }

  /** The code identity a record ran, or null on a dirty tree or without git. */
  String identity(RunRecord r) {
    if (r.git() == null || !r.git().clean()) {
      return null;
    }
    return CodeIdentity.at(root, r.git().commit());
  }

  /** A run that pins the pre-registration: a real run of an experiment other than smoke. */
  static boolean claimRelevant(RunRecord r) {
    return !RunRequest.DEFAULT_EXPERIMENT.equals(r.experiment()) && r.isExperimentRun() && !r.dryRun()
        && r.git() != null;
  }

  /**
   * Registers the claim as research.yaml stands at {@code commit} when the ledger has none, or
   * records its change when it differs from the last one registered.
   */
  public void recordClaim(String commit) throws IOException {
    Optional<String> text = GitHistory.fileAt(root, commit, DescriptorLoader.FILE);
    if (text.isEmpty()) {
      return;
    }
    Descriptor d;
    try {
      d = YamlFiles.parseLenient(text.get(), Descriptor.class);
    } catch (IOException e) {
      return;
    }
    Map<String, String> now = ClaimFields.of(d);
    Ledger ledger = Ledger.read(file(root));
    Map<String, String> last = lastClaim(ledger);
    if (last == null) {
      LedgerFile.append(root, new LedgerEvent.ClaimRegistered(commit, now), clock.instant());
    } else if (!last.equals(now)) {
      LedgerFile.append(root, new LedgerEvent.ClaimChanged(commit, now, ClaimFields.changes(last, now)),
          clock.instant());
    }
  }

  /** The claim as last registered or changed, or null when none is. */
  static Map<String, String> lastClaim(Ledger ledger) {
    Map<String, String> last = null;
    for (LedgerEntry e : ledger.entries()) {
      if (e.event() instanceof LedgerEvent.ClaimRegistered c) {
        last = c.claim();
      } else if (e.event() instanceof LedgerEvent.ClaimChanged c) {
        last = c.claim();
      }
    }
    return last;
  }
}
