package io.inkan.policy;

/**
 * A configuration that parses but cannot be put to work: a data set or key that cannot be read, a
 * table entry that does not fit. The message names the configuration file and line (and the data
 * set file and line where there is one).
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
