package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void parsesTheForms() {
    assertThat(HostPort.parse("127.0.0.1", 53).getPort()).isEqualTo(53);
    assertThat(HostPort.parse("127.0.0.1:5353", 53).getPort()).isEqualTo(5353);
    assertThat(HostPort.parse("[::1]:5300", 53).getAddress().getHostAddress())
        .isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(HostPort.parse("::1", 53).getPort()).isEqualTo(53);
  }

  @Test
  void rejectsNamesAndBadPorts() {
    assertThatThrownBy(() -> HostPort.parse("dns.example", 53)).hasMessageContaining("numeric");
    assertThatThrownBy(() -> HostPort.parse("1.2.3.4:0", 53)).hasMessageContaining("bad port");
    assertThatThrownBy(() -> HostPort.parse("[::1", 53)).hasMessageContaining("]");
  }
}
