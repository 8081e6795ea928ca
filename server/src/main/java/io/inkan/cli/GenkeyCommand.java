package io.inkan.cli;

import picocli.CommandLine.Command;

/** Placeholder until the genkey command lands (being written now). */
@Command(name = "genkey", description = "Generate a DKIM key pair (in progress).")
final class GenkeyCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("genkey is not written yet");
  }
}
