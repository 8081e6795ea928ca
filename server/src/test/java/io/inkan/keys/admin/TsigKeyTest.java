package io.inkan.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.TSIG;

class TsigKeyTest {
  // base64 with "//" in it: only a line-initial "//" is a comment
  private static final String SECRET = "ab//cdEFghIJklMNopQRstUVwxYZ0123456789+/AAA=";

  @Test
  void bindKeyStatementAsTsigKeygenWritesIt() throws Exception {
    TsigKey key =
        TsigKey.parse(
            "// made by tsig-keygen\nkey \"inkan-update.\" {\n\talgorithm hmac-sha256;\n\tsecret \""
                + SECRET
                + "\";\n};\n",
            "k.conf");
    assertThat(key.name()).isEqualTo("inkan-update.");
    assertThat(key.algorithm()).isEqualTo("hmac-sha256");
    assertThat(key.secret()).isEqualTo(Base64.getDecoder().decode(SECRET));
    assertThat(key.tsig()).isInstanceOf(TSIG.class);
    assertThat(key.toString()).doesNotContain(SECRET);
  }

  @Test
  void knotKeymgrOutput() throws Exception {
    TsigKey key =
        TsigKey.parse(
            "# hmac-sha512:k1:...\nkey:\n  - id: k1\n    algorithm: hmac-sha512\n    secret: "
                + SECRET
                + "\n",
            "k.yaml");
    assertThat(key.name()).isEqualTo("k1");
    assertThat(key.algorithm()).isEqualTo("hmac-sha512");
  }

  @Test
  void colonForms() throws Exception {
    assertThat(TsigKey.parse("k1:hmac-sha384:" + SECRET + "\n", "f").algorithm())
        .isEqualTo("hmac-sha384");
    TsigKey nsupdate = TsigKey.parse("hmac-sha1:k2:" + SECRET, "f");
    assertThat(nsupdate.name()).isEqualTo("k2");
    assertThat(nsupdate.algorithm()).isEqualTo("hmac-sha1");
    assertThat(TsigKey.parse("k3:" + SECRET, "f").algorithm()).isEqualTo("hmac-sha256");
  }

  @Test
  void errorsNameTheFileButNotTheSecret() {
    assertThatThrownBy(() -> TsigKey.parse("nothing here", "k.conf"))
        .isInstanceOf(KeyAdminException.class)
        .hasMessageStartingWith("k.conf: no TSIG key found");
    assertThatThrownBy(
            () ->
                TsigKey.parse(
                    "key \"k\" { algorithm hmac-foo; secret \"" + SECRET + "\"; };", "k.conf"))
        .hasMessageContaining("hmac-foo")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> TsigKey.parse("key \"k\" { algorithm hmac-sha256; };", "k.conf"))
        .hasMessageContaining("no (valid base64) secret");
  }
}
