package io.github.researchcycle.model.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One line of the ledger: its position, the hash of the line before it, when it was written, and
 * the event.
 *
 * @param seq its position, from 1
 * @param prev {@code sha256:} of the previous line's bytes, or null for the first entry
 * @param at when it was written
 * @param event what happened
 * @param sig the signature of the entry without this field (as git signs: OpenPGP or SSH), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerEntry(int seq, String prev, Instant at, LedgerEvent event, String sig) {

  /** An unsigned entry. */
  public LedgerEntry(int seq, String prev, Instant at, LedgerEvent event) {
    this(seq, prev, at, event, null);
  }

  /** This entry without its signature: what was signed. */
  public LedgerEntry unsigned() {
    return new LedgerEntry(seq, prev, at, event, null);
  }
}
