package io.inkan.cli;

import picocli.CommandLine.Command;

/** Placeholder while the command is being written. */
@Command(name = "sign")
final class SignCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("sign is not written yet");
  }
}
