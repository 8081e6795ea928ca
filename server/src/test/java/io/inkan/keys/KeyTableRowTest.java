package io.inkan.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.Source;
import io.inkan.dkim.DkimAlgorithm;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyTableRowTest {
  private static final Source AT = new Source("/etc/inkan/keytable", 3);

  private static KeyTableRow parse(String value) throws KeyTableException {
    return KeyTableRow.parse(new DataSetEntry("k1", value, AT));
  }

  @Test
  void parsesTheFieldsAndTheOptionalAlgorithm() throws Exception {
    KeyTableRow row = parse("example.com:sel:/keys/a:b.private:ed25519-sha256");
    assertThat(row.domain()).isEqualTo("example.com");
    assertThat(row.selector()).isEqualTo("sel");
    assertThat(row.keySpec()).isEqualTo("/keys/a:b.private");
    assertThat(row.algorithm()).contains(DkimAlgorithm.ED25519_SHA256);
    assertThat(row.isFile()).isTrue();
    assertThat(row.where()).isEqualTo("KeyTable /etc/inkan/keytable:3: k1");
    assertThat(parse("example.com:sel:/keys/a").algorithm()).isEqualTo(Optional.empty());
    assertThat(parse("example.com:sel:MC4CAQAwBQYDK2VwBCIEI").isFile()).isFalse();
  }

  @Test
  void senderDomainsCannotBeResolvedByTools() throws Exception {
    assertThat(parse("%:sel:/keys/a").senderDependent()).isPresent();
    assertThat(parse("example.com:sel:/keys/%.private").senderDependent()).isPresent();
    assertThat(parse("example.com:sel:/keys/a").senderDependent()).isEmpty();
  }

  @Test
  void malformedEntriesNameTheirPlace() {
    assertThatThrownBy(() -> parse("example.com:sel"))
        .isInstanceOf(KeyTableException.class)
        .hasMessage("KeyTable /etc/inkan/keytable:3: k1: expected DOMAIN:SELECTOR:KEY[:ALGORITHM]");
    assertThatThrownBy(() -> KeyTableRow.parse(new DataSetEntry("k2", null, AT)))
        .isInstanceOf(KeyTableException.class);
  }
}
