package io.github.researchcycle.core;

/**
 * A problem the researcher can fix: a bad config, a missing file, a dirty tree.
 *
 * <p>The message is complete on its own (it names the file, the key and the fix) and is shown to
 * the user as it is, without a stack trace.
 */
public class ResearchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is shown to the user as it is. */
  public ResearchException(String message) {
    super(message);
  }

  /** Creates an exception whose message is shown to the user; the cause is kept for debugging. */
  public ResearchException(String message, Throwable cause) {
    super(message, cause);
  }
}
