package io.inkan.runtime;

/** Why the process could not become, or make sure it became, the configured UserID. */
public final class PrivilegeDropException extends Exception {
  private static final long serialVersionUID = 1L;

  public PrivilegeDropException(String message) {
    super(message);
  }

  public PrivilegeDropException(String message, Throwable cause) {
    super(message, cause);
  }
}
