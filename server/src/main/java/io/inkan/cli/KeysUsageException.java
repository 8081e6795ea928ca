package io.inkan.cli;

/** A bad argument or setting of an {@code inkan keys} command: exit status 2. */
final class KeysUsageException extends Exception {
  private static final long serialVersionUID = 1L;

  KeysUsageException(String message) {
    super(message);
  }
}
