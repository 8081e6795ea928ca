package io.inkan.cli;

/** Why {@code inkan serve} cannot start or reload, with the exit status to use. */
final class ServeException extends Exception {
  private final int exitCode;

  ServeException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
