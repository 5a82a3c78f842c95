package io.github.researchcycle.core.ledger;

import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.core.git.LedgerMirror;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEntry;
import io.github.researchcycle.model.ledger.LedgerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The one way the plugin appends to a research folder's ledger: chained, locked, signed when git
 * signs, and mirrored on a git ref of its own.
 */
public final class LedgerFile {
  private LedgerFile() {}

  /** Appends {@code event} to the ledger of {@code root}, signed with the git config's key if it has one. */
  public static LedgerEntry append(Path root, LedgerEvent event, Instant at) throws IOException {
    boolean git = GitInspector.isInside(root);
    LedgerEntry entry = Ledger.append(LedgerRecorder.file(root), event, at, git ? GitSigning.of(root) : null);
    if (git) {
      LedgerMirror.update(root, LedgerRecorder.file(root));
    }
    return entry;
  }
}
