package io.inkan.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.bench.BenchMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchMessageTest {
  private static final String LF =
      "From: Joe <joe@example.com>\nSubject: a\n folded\n\nline 1\nline 2\n";

  @Test
  void lfAndCrlfFilesSplitAlike() {
    BenchMessage lf = BenchMessage.parse(LF.getBytes(StandardCharsets.ISO_8859_1));
    BenchMessage crlf =
        BenchMessage.parse(LF.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));

    for (BenchMessage m : new BenchMessage[] {lf, crlf}) {
      assertThat(m.headers())
          .containsExactly(
              new BenchMessage.Header("From", " Joe <joe@example.com>"),
              new BenchMessage.Header("Subject", " a\r\n folded"));
      assertThat(new String(m.body(), StandardCharsets.ISO_8859_1))
          .isEqualTo("line 1\r\nline 2\r\n");
    }
  }

  @Test
  void fromDomainGetsThePrefix() {
    BenchMessage m = BenchMessage.parse(LF.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(m.headersWithFromPrefix("d3.").get(0).value())
        .isEqualTo(" Joe <joe@d3.example.com>");
    assertThat(m.headers().get(0).value()).isEqualTo(" Joe <joe@example.com>");
  }
}
