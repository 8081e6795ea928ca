package io.inkan.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.testing.AuthoritativeDnsUpdates;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 2136 updates signed with TSIG against a real Knot DNS primary. */
class DnsUpdatePublisherTest {
  private static AuthoritativeDnsUpdates knot;
  private static TsigKey key;

  @BeforeAll
  static void start() throws Exception {
    knot = AuthoritativeDnsUpdates.start("example.org", "www A 192.0.2.1", "inkan-update");
    key = TsigKey.parse(knot.bindKeyFile(), "test key");
  }

  @AfterAll
  static void stop() {
    if (knot != null) {
      knot.close();
    }
  }

  private static DnsUpdatePublisher publisher(TsigKey k, Optional<String> zone) {
    return new DnsUpdatePublisher(knot.address(), k, Duration.ofSeconds(5), zone);
  }

  @Test
  void aSignedUpdateAddsTheRecordWhichThenIsVisible() throws Exception {
    NewKey rsa = NewKey.generate(io.inkan.dkim.DkimAlgorithm.KeyType.RSA, 2048);
    String owner = "pub1._domainkey.example.org.";

    DnsUpdatePublisher.Outcome done =
        publisher(key, Optional.empty()).publish(owner, rsa.record().strings(), 600);

    assertThat(done).isEqualTo(new DnsUpdatePublisher.Outcome("example.org.", false));
    assertThat(knot.txt(owner)).containsExactly(rsa.record().text());
    assertThat(
            new RecordVisibility(List.of(knot.address()), Duration.ofSeconds(5))
                .await(owner, rsa.record().text()))
        .contains("is visible on 127.0.0.1:" + knot.port());
    assertThatThrownBy(
            () -> publisher(key, Optional.of("example.org")).publish(owner, List.of("x"), 600))
        .isInstanceOf(KeyAdminException.class)
        .hasMessageContaining("YXRRSET")
        .hasMessageContaining("a TXT record exists at that name already");
    // a resumed rotation sends the same record again: nothing to do
    assertThat(publisher(key, Optional.empty()).publish(owner, rsa.record().strings(), 600))
        .isEqualTo(new DnsUpdatePublisher.Outcome("example.org.", true));
    assertThat(knot.txt(owner)).containsExactly(rsa.record().text());
  }

  @Test
  void aWrongSecretOrAnUnknownKeyIsRefused() throws Exception {
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    TsigKey wrongSecret = new TsigKey(key.name(), "hmac-sha256", other);
    TsigKey unknownName = new TsigKey("someone-else.", "hmac-sha256", key.secret());
    String owner = "pub2._domainkey.example.org.";

    assertThatThrownBy(
            () -> publisher(wrongSecret, Optional.empty()).publish(owner, List.of("v=DKIM1"), 60))
        .isInstanceOf(KeyAdminException.class)
        .hasMessageContaining("NOTAUTH")
        .hasMessageContaining("BADSIG")
        .hasMessageNotContaining(Base64.getEncoder().encodeToString(other));
    assertThatThrownBy(
            () -> publisher(unknownName, Optional.empty()).publish(owner, List.of("v=DKIM1"), 60))
        .hasMessageContaining("NOTAUTH")
        .hasMessageContaining("BADKEY");
    assertThat(knot.txt(owner)).isEmpty();
  }

  @Test
  void aNameOutsideTheServersZonesIsAnError() {
    assertThatThrownBy(
            () ->
                publisher(key, Optional.empty())
                    .publish("s._domainkey.example.net.", List.of("v=DKIM1"), 60))
        .isInstanceOf(KeyAdminException.class)
        .hasMessageContaining("not authoritative for s._domainkey.example.net.");
  }

  @Test
  void visibilityGivesUpNamingWhatTheServerSaid() {
    assertThatThrownBy(
            () ->
                new RecordVisibility(List.of(knot.address()), Duration.ZERO)
                    .await("none._domainkey.example.org.", "v=DKIM1; p="))
        .isInstanceOf(KeyAdminException.class)
        .hasMessageContaining("not visible after 0 s")
        .hasMessageContaining("answered NXDOMAIN");
  }
}
