package io.inkan.dataset.je;

import io.inkan.dataset.Source;

/**
 * A table that cannot be imported, exported or opened: bad input (the message names the file and
 * line), an environment that is missing, locked or not Inkan's, or a target that must not be
 * replaced. The message is one line, fit for a command's error output.
 */
public final class JeTableException extends Exception {
  private static final long serialVersionUID = 1L;

  public JeTableException(String message) {
    super(message, null, false, false);
  }

  /** A fault at one line of an input file: {@code FILE:LINE: reason}. */
  public static JeTableException at(Source where, String reason) {
    return new JeTableException(where + ": " + reason);
  }
}
