package io.inkan.dataset.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dataset.DataSetException;
import io.inkan.dataset.Source;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DsnParserTest {
  private static final Source AT = new Source("/etc/inkan.conf", 12);
  private static final String TAIL = "/table=dkim?keycol=id?datacol=domain,selector,key";

  private static Dsn parse(String spec) throws DataSetException {
    return DsnParser.parse(spec, AT);
  }

  @Test
  void everyPartOfAFullDsn() throws Exception {
    Dsn d =
        parse(
            "dsn:mysql://dbuser:dbpass@3307+db.example.net/odkim/table=macros?keycol=host"
                + "?datacol=v1,v2?filter=active=3D1");
    assertThat(d.backend()).isEqualTo(SqlBackend.MARIADB);
    assertThat(d.user()).isEqualTo("dbuser");
    assertThat(d.password()).isEqualTo("dbpass");
    assertThat(d.host()).isEqualTo("db.example.net");
    assertThat(d.port()).isEqualTo(3307);
    assertThat(d.database()).isEqualTo("odkim");
    assertThat(d.table()).isEqualTo("macros");
    assertThat(d.keyColumn()).isEqualTo("host");
    assertThat(d.dataColumns()).containsExactly("v1", "v2");
    assertThat(d.filter()).hasValue("active=1");
  }

  @Test
  void theOpenDkimReadmeExamples() throws Exception {
    Dsn d =
        parse(
            "dsn:pgsql://username:password@localhost/dkim/table=dkimkeys?keycol=keyName?datacol=mail");
    assertThat(d.backend()).isEqualTo(SqlBackend.POSTGRESQL);
    assertThat(d.port()).isEqualTo(5432);
    assertThat(d.host()).isEqualTo("localhost");
    assertThat(d.filter()).isEmpty();
    Dsn k = parse("dsn:mysql://USER:PASSWORD@SERVER/DBNAME" + TAIL);
    assertThat(k.port()).isEqualTo(3306);
    assertThat(k.dataColumns()).containsExactly("domain", "selector", "key");
  }

  @Test
  void backendNamesIgnoreCase() throws Exception {
    assertThat(parse("dsn:MySQL://h/d" + TAIL).backend()).isEqualTo(SqlBackend.MARIADB);
    assertThat(parse("dsn:mariadb://h/d" + TAIL).backend()).isEqualTo(SqlBackend.MARIADB);
    assertThat(parse("dsn:PostgreSQL://h/d" + TAIL).backend()).isEqualTo(SqlBackend.POSTGRESQL);
    assertThat(parse("DSN:sqlite3://dir/f.db" + TAIL).backend()).isEqualTo(SqlBackend.SQLITE);
  }

  @Test
  void userWithoutPasswordAndNoUserAtAll() throws Exception {
    Dsn d = parse("dsn:mysql://root@3306+127.0.0.1/test" + TAIL);
    assertThat(d.user()).isEqualTo("root");
    assertThat(d.password()).isEmpty();
    Dsn n = parse("dsn:pgsql://db/test" + TAIL);
    assertThat(n.user()).isEmpty();
    assertThat(n.password()).isEmpty();
  }

  @Test
  void quotedPrintableEscapesAreDecodedEverywhere() throws Exception {
    Dsn d =
        parse(
            "dsn:mysql://us=40er:p=40ss=3Aw=3D=2F=3F=2B=C3=A9@2001=3Adb8=3A=3A1/db"
                + "/table=t?keycol=k?datacol=v?filter=note =3D 'a=2Fb'");
    assertThat(d.user()).isEqualTo("us@er");
    assertThat(d.password()).isEqualTo("p@ss:w=/?+\u00e9");
    assertThat(d.host()).isEqualTo("2001:db8::1");
    assertThat(SqlBackend.MARIADB.jdbcUrl(d)).isEqualTo("jdbc:mariadb://[2001:db8::1]:3306/db");
    assertThat(d.filter()).hasValue("note = 'a/b'");
  }

  @Test
  void aFilterEqualsSignWithoutTwoHexDigitsStaysAsOpenDkimDoes() throws Exception {
    assertThat(parse("dsn:mysql://h/d" + TAIL + "?filter=active=1").filter()).hasValue("active=1");
    assertThat(parse("dsn:mysql://h/d" + TAIL + "?filter=n>=3D10").filter()).hasValue("n>=10");
    assertThat(parse("dsn:mysql://h/d" + TAIL + "?FILTER=x=zz").filter()).hasValue("x=zz");
  }

  @Test
  void keysAreCaseInsensitiveInAnyOrderAndSpacesAroundColumnsTrimmed() throws Exception {
    Dsn d = parse("dsn:mysql://h/d/DataCol=a, b ,c?KEYCOL=k?Table=s.t");
    assertThat(d.table()).isEqualTo("s.t");
    assertThat(d.keyColumn()).isEqualTo("k");
    assertThat(d.dataColumns()).containsExactly("a", "b", "c");
  }

  @Test
  void sqliteHostIsTheDirectoryAndDbTheFile() throws Exception {
    assertThat(parse("dsn:sqlite3://=2Fvar=2Flib=2Finkan/keys.db" + TAIL).database())
        .isEqualTo("/var/lib/inkan/keys.db");
    assertThat(parse("dsn:sqlite3://data/keys.db" + TAIL).database()).isEqualTo("data/keys.db");
    Dsn d = parse("dsn:sqlite3:///var/lib/inkan/keys=20old.db" + TAIL + "?filter=a/b = 1");
    assertThat(d.database()).isEqualTo("/var/lib/inkan/keys old.db");
    assertThat(d.host()).isEmpty();
    assertThat(d.filter()).hasValue("a/b = 1");
    assertThat(SqlBackend.SQLITE.jdbcUrl(d)).isEqualTo("jdbc:sqlite:/var/lib/inkan/keys old.db");
  }

  @Test
  void theJdbcUrlsCarryNoCredentials() throws Exception {
    Dsn m = parse("dsn:mysql://u:secret@3307+db/odkim" + TAIL);
    assertThat(SqlBackend.MARIADB.jdbcUrl(m)).isEqualTo("jdbc:mariadb://db:3307/odkim");
    Dsn p = parse("dsn:pgsql://u:secret@db/odkim" + TAIL);
    assertThat(SqlBackend.POSTGRESQL.jdbcUrl(p)).isEqualTo("jdbc:postgresql://db:5432/odkim");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k",
        "dsn:mysql://u:s3cr3t@h/d/table=t?datacol=v",
        "dsn:mysql://u:s3cr3t@h/d/keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k?datacol=v?color=red",
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k?datacol=v?table=u",
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k?datacol=v?loose",
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k?datacol=v?filter=",
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k?datacol=v?filter=a =3D =3F",
        "dsn:mysql://u:s3cr3t@h/d",
        "dsn:mysql://u:s3cr3t@h",
        "dsn:mysql://u:s3cr3t@/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@h//table=t?keycol=k?datacol=v",
        "dsn:mysql:u:s3cr3t@h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql//u:s3cr3t@h/d/table=t?keycol=k?datacol=v",
        "dsn:oracle://u:s3cr3t@h/d/table=t?keycol=k?datacol=v",
        "dsn://u:s3cr3t@h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@0+h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@65536+h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@x+h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@h_h!/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@h/d=3Fx/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t:more@h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t=zz@h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@me@h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t/x@h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t?x@h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u=:s3cr3t@h/d/table=t?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@h/d/table=t;drop?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@h/d/table=a.b.c?keycol=k?datacol=v",
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k)?datacol=v",
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k?datacol=v,,w",
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k?datacol=1",
        "dsn:mysql://u:s3cr3t@h/d/table=t?keycol=k?datacol=v=20w",
        "dsn:sqlite3://u:s3cr3t@dir/f.db/table=t?keycol=k?datacol=v",
        "dsn:sqlite3:///table=t?keycol=k?datacol=v",
      })
  void aMalformedDsnNamesTheLineAndNeverThePassword(String spec) {
    assertThatThrownBy(() -> parse(spec))
        .isInstanceOf(DataSetException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage()).startsWith("/etc/inkan.conf:12: data set \"dsn:");
              assertThat(e.getMessage()).doesNotContain("s3cr3t");
              assertThat(((DataSetException) e).declaredAt()).isEqualTo(AT);
            });
  }

  @Test
  void errorsSayWhatIsWrong() {
    assertThatThrownBy(() -> parse("dsn:mysql://h/d/table=t?keycol=k"))
        .hasMessageContaining("no datacol= in the DSN");
    assertThatThrownBy(() -> parse("dsn:mysql://h/d/table=t?keycol=k?datacol=v?colour=red"))
        .hasMessageContaining("unknown DSN key \"colour\"");
    assertThatThrownBy(() -> parse("dsn:oracle://h/d" + TAIL))
        .hasMessageContaining("unknown backend \"oracle\"");
    assertThatThrownBy(() -> parse("dsn:mysql://99999+h/d" + TAIL))
        .hasMessageContaining("port \"99999\" is not a number from 1 to 65535");
    assertThatThrownBy(() -> parse("dsn:mysql://h/d/table=t x?keycol=k?datacol=v"))
        .hasMessageContaining("table= \"t x\" is not an SQL identifier");
    assertThatThrownBy(() -> parse("dsn:mysql://h/d/table=t?keycol=k?datacol=a,b-c"))
        .hasMessageContaining("datacol= \"a,b-c\" is not an SQL identifier");
    assertThatThrownBy(() -> parse("dsn:mysql://u:p:q@h/d" + TAIL))
        .hasMessageContaining("the password contains one of")
        .hasMessageContaining("****");
    assertThatThrownBy(() -> parse("dsn:mysql://1+2+h/d" + TAIL))
        .hasMessageContaining("the host contains \"+\"; write it quoted-printable");
    assertThatThrownBy(() -> parse("dsn:mysql://h/d"))
        .hasMessageContaining("no \"/\" after the database name");
  }

  @Test
  void identifiersMayBeSchemaQualifiedTablesWithDigitsAndUnderscores() throws Exception {
    Dsn d = parse("dsn:pgsql://h/d/table=dkim_2026.key_table?keycol=_k1?datacol=v2,3d");
    assertThat(d.table()).isEqualTo("dkim_2026.key_table");
    assertThat(d.dataColumns()).isEqualTo(List.of("v2", "3d"));
  }

  @Test
  void maskingCoversMalformedText() {
    assertThat(DsnParser.masked("dsn:mysql://u:pw@h/d/table=t"))
        .isEqualTo("dsn:mysql://u:****@h/d/table=t");
    assertThat(DsnParser.masked("dsn:mysql://u:p@w@h/d")).isEqualTo("dsn:mysql://u:****@h/d");
    assertThat(DsnParser.masked("dsn:mysql://u:p/w@h/d?x")).isEqualTo("dsn:mysql://u:****@h/d?x");
    assertThat(DsnParser.masked("dsn:mysql://u:p?w@h/d")).isEqualTo("dsn:mysql://u:****/d");
    assertThat(DsnParser.masked("dsn:mysql:u:pw@h/d")).isEqualTo("dsn:mysql:****@h/d");
    assertThat(DsnParser.masked("dsn:mysql://u@h/d/table=t?filter=a:b@c"))
        .isEqualTo("dsn:mysql://u@h/d/table=t?filter=a:b@c");
    assertThat(DsnParser.masked("dsn:sqlite3:///var/x.db/table=t"))
        .isEqualTo("dsn:sqlite3:///var/x.db/table=t");
    assertThat(DsnParser.masked("dsn:mysql://3306+h/d")).isEqualTo("dsn:mysql://3306+h/d");
  }

  @Test
  void theDsnNeverPrintsItsPassword() throws Exception {
    Dsn d = parse("dsn:mysql://u:s3cr3t@h/d" + TAIL);
    assertThat(d.toString()).doesNotContain("s3cr3t").contains("u:****@h:3306");
    assertThat(d.scrub("Access denied for u using s3cr3t"))
        .isEqualTo("Access denied for u using ****");
    assertThat(d.filter()).isEqualTo(Optional.empty());
  }
}
