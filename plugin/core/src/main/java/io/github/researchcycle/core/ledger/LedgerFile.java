package io.github.researchcycle.core.ledger;

import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEntry;
import io.github.researchcycle.model.ledger.LedgerEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/** The one way the plugin appends to a research folder's ledger: chained, locked, and signed when git signs. */
public final class LedgerFile {
  private LedgerFile() {}

  /** Appends {@code event} to the ledger of {@code root}, signed with the git config's key if it has one. */
  public static LedgerEntry append(Path root, LedgerEvent event, Instant at) throws IOException {
    return Ledger.append(LedgerRecorder.file(root), event, at, GitSigning.of(root));
  }
}
