package io.github.researchcycle.model.ledger;

/** The ledger file cannot be read as a ledger: the message names the file, the line and what is wrong. */
public final class LedgerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with its one-line message. */
  public LedgerException(String message) {
    super(message);
  }
}
