package io.inkan.keys.admin;

/**
 * An administration step that failed for a reason outside the program (the directory, DNS, a file):
 * its message is one line for the operator, never holding a password or key material.
 */
public final class KeyAdminException extends Exception {
  private static final long serialVersionUID = 1L;

  public KeyAdminException(String message) {
    super(message);
  }

  public KeyAdminException(String message, Throwable cause) {
    super(message, cause);
  }
}
