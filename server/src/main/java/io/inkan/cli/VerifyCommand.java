package io.inkan.cli;

import picocli.CommandLine.Command;

/** Placeholder while the command is being written. */
@Command(name = "verify")
final class VerifyCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("verify is not written yet");
  }
}
