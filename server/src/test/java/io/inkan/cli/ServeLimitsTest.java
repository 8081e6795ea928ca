package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.testing.MtaSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inkan's MilterMaxConnections and MilterMessageDeadline reach the running daemon. */
class ServeLimitsTest {
  @TempDir Path dir;

  @Test
  void milterMaxConnectionsClosesConnectionsBeyondTheCap() throws Exception {
    Path socket = dir.resolve("inkan.sock");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "Socket local:" + socket + "\nMode v\nMilterMaxConnections 1\n");
    try (InkanTestServer server = InkanTestServer.start(conf)) {
      MtaSimulator first = new MtaSimulator(socket);
      first.open("127.0.0.1");
      MtaSimulator second = new MtaSimulator(socket); // closed by the server: not closed here
      assertThatThrownBy(() -> second.open("127.0.0.1")).isInstanceOf(IOException.class);
      first.close();
      Thread.sleep(200); // the server sees the close on its event loop
      try (MtaSimulator third = new MtaSimulator(socket)) {
        third.open("127.0.0.1");
        assertThat(third.message("From: a@example.org\r\n\r\nbody\r\n")).isNotEmpty();
      }
    }
  }

  @Test
  void theDeadlineMustBeWithinBounds() throws Exception {
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "Socket local:" + dir.resolve("s") + "\nMilterMessageDeadline 0\n");
    assertThatThrownBy(() -> InkanTestServer.start(conf))
        .hasMessageContaining("inkan.conf:2: MilterMessageDeadline: seconds from 1 to 3600, got 0");
  }
}
