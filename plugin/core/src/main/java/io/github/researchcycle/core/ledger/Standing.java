package io.github.researchcycle.core.ledger;

import java.util.Locale;

/** How one run of a claim experiment stands for the claim. */
public enum Standing {
  /** Finished, clean, at the current code identity and the experiment's own config: it counts. */
  COUNTED,
  /** Ran code or experiments that have changed since: kept and shown, not counted. */
  SUPERSEDED,
  /** Ran with command-line overrides of the experiment's config: shown, not counted. */
  OTHER_CONFIG,
  /** Ran on a tree with uncommitted changes. */
  DIRTY,
  /** Did not finish (failed, crashed, interrupted, cancelled, timed out) or still going. */
  NOT_FINISHED,
  /** Removed on purpose, with a reason in the ledger. */
  DELETED;

  /** The word used in tables and messages. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
