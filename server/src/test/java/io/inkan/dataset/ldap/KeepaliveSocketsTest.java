package io.inkan.dataset.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dataset.DataSetOptions.LdapOptions;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class KeepaliveSocketsTest {
  private static final LdapOptions OPTIONS =
      new LdapOptions(
          Optional.empty(),
          Optional.empty(),
          false,
          Optional.empty(),
          Duration.ofSeconds(5),
          45,
          7,
          4,
          false);

  @Test
  void plainSocketsGetTheKeepaliveSettings() throws Exception {
    try (ServerSocket server = new ServerSocket(0);
        Socket s =
            new KeepaliveSockets(OPTIONS)
                .plain(SocketFactory.getDefault())
                .createSocket("127.0.0.1", server.getLocalPort())) {
      assertThat(s.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
      Assumptions.assumeTrue(s.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE));
      assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(45);
      assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(7);
      assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
    }
  }

  @Test
  void unconnectedAndTlsSocketsToo() throws Exception {
    KeepaliveSockets k = new KeepaliveSockets(OPTIONS);
    try (Socket plain = k.plain(SocketFactory.getDefault()).createSocket();
        Socket tls = k.tls((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket()) {
      assertThat(plain.getKeepAlive()).isTrue();
      assertThat(tls.getKeepAlive()).isTrue();
      Assumptions.assumeTrue(plain.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE));
      assertThat(plain.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(45);
      assertThat(tls.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(45);
    }
  }

  @Test
  void zeroLeavesTheSystemDefault() throws Exception {
    LdapOptions none = LdapOptions.DEFAULTS;
    try (Socket s = new KeepaliveSockets(none).plain(SocketFactory.getDefault()).createSocket()) {
      assertThat(s.getKeepAlive()).isTrue();
    }
  }
}
