package io.inkan.keys;

/** A KeyTable or SigningTable that cannot be used; the message names the file and line. */
public final class KeyTableException extends Exception {
  public KeyTableException(String message) {
    super(message);
  }

  public KeyTableException(String message, Throwable cause) {
    super(message, cause);
  }
}
