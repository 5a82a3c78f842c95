package io.github.researchcycle.core.data;

import java.io.IOException;

/** A source could not deliver a file; the message says why, in words the user can act on. */
public class SourceException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure with a complete message. */
  public SourceException(String message) {
    super(message);
  }

  /** A failure with a complete message and its cause. */
  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
