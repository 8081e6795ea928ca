package io.inkan.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.config.DataSetRef;
import org.junit.jupiter.api.Test;

class ConfigSummaryTest {
  private static String shown(String spec) {
    return ConfigSummary.shown(new DataSetRef(spec, "t.conf", 1));
  }

  @Test
  void masksDsnPasswords() {
    assertThat(shown("dsn:mysql://inkan:S3cret@3306+db.example/dkim/table=k?keycol=a?datacol=b"))
        .isEqualTo("dsn:mysql://inkan:****@3306+db.example/dkim/table=k?keycol=a?datacol=b");
    assertThat(shown("dsn:pgsql://u:p=40ss@h/d/table=t?keycol=a?datacol=b"))
        .doesNotContain("p=40ss");
    assertThat(shown("dsn:mysql://inkan@h/d/table=t?keycol=a?datacol=b"))
        .isEqualTo("dsn:mysql://inkan@h/d/table=t?keycol=a?datacol=b");
    assertThat(shown("dsn:sqlite3:///var/lib/inkan/keys.db/table=t?keycol=a?datacol=b"))
        .isEqualTo("dsn:sqlite3:///var/lib/inkan/keys.db/table=t?keycol=a?datacol=b");
  }

  @Test
  void masksPasswordParametersAnywhere() {
    assertThat(shown("ldap://ldap.example/dc=example?x-bindpw=hunter2,cn=x"))
        .doesNotContain("hunter2")
        .contains("x-bindpw=***");
  }

  @Test
  void inlineListsShowOnlyTheirSize() {
    assertThat(shown("csl:k1=example.com:sel:MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"))
        .isEqualTo("(inline list, 1 entry)");
    assertThat(shown("127.0.0.1,::1")).isEqualTo("(inline list, 2 entries)");
    assertThat(shown("/etc/inkan/KeyTable")).isEqualTo("/etc/inkan/KeyTable");
  }
}
