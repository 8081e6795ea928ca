package io.inkan.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataSetsTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void fileSetKeepsKeysValuesCommentsAndBlanksAsOpenDkim() throws Exception {
    Path f =
        write(
            "table",
            "# a comment\n"
                + "\n"
                + "   \t\n"
                + "sel._domainkey.example.com example.com:sel:/keys/a.private # trailing\n"
                + "  host.example.com  \n"
                + "spaced\t value with  spaces \r\n"
                + "sel._domainkey.example.com second:entry:ignored\n"
                + "hash#inside is a comment\n");
    DataSet set = DataSets.parse("file:" + f, "inkan.conf", 3);

    assertThat(set).isInstanceOf(ListDataSet.class);
    assertThat(set.get("sel._domainkey.example.com"))
        .contains(List.of("example.com", "sel", "/keys/a.private"));
    assertThat(set.get("host.example.com")).contains(List.of());
    assertThat(set.contains("host.example.com")).isTrue();
    assertThat(set.lookup("spaced").map(DataSetEntry::value)).contains("value with  spaces");
    assertThat(set.lookup("hash").map(DataSetEntry::hasValue)).contains(false);
    assertThat(set.contains("inside")).isFalse();
    assertThat(set.get("missing")).isEmpty();
    assertThat(set.lookup("host.example.com").get().source())
        .isEqualTo(new Source(f.toString(), 5));
    assertThat(((ListDataSet) set).entries()).hasSize(5);
    assertThat(set.declaredAt()).isEqualTo(new Source("inkan.conf", 3));
  }

  @Test
  void plainAbsolutePathIsAFile() throws Exception {
    Path f = write("hosts", "127.0.0.1\n.example.com\n");
    DataSet set = DataSets.parse(f.toString(), "inkan.conf", 1);
    assertThat(set.contains("127.0.0.1")).isTrue();
    assertThat(set.contains(".EXAMPLE.com")).isTrue();
  }

  @Test
  void relativePathWithoutTypeIsAOneElementListLikeOpenDkim() throws Exception {
    DataSet set = DataSets.parse("./hosts", "inkan.conf", 1);
    assertThat(set).isInstanceOf(ListDataSet.class);
    assertThat(set.contains("./hosts")).isTrue();
  }

  @Test
  void keysIgnoreCaseUnlessSensitive() throws Exception {
    Path f = write("t", "Example.COM value\n");
    assertThat(DataSets.parse("file:" + f, "c", 1).contains("example.com")).isTrue();
    DataSet exact = DataSets.parse("FILE:" + f, "c", 1, KeyCase.SENSITIVE);
    assertThat(exact.contains("example.com")).isFalse();
    assertThat(exact.contains("Example.COM")).isTrue();
  }

  @Test
  void valuesSplitAtColonsOrIntoAFixedNumberOfFields() throws Exception {
    DataSet set = DataSets.parse("csl:k=example.com:sel:/keys/a:b", "c", 1);
    DataSetEntry e = set.lookup("k").orElseThrow();
    assertThat(e.values()).containsExactly("example.com", "sel", "/keys/a", "b");
    assertThat(e.values(3)).containsExactly("example.com", "sel", "/keys/a:b");
    assertThat(e.values(1)).containsExactly("example.com:sel:/keys/a:b");
    assertThat(e.values(9)).hasSize(4);
    assertThat(DataSets.parse("csl:a=", "c", 1).get("a")).contains(List.of(""));
    assertThat(DataSets.parse("csl:a=x::y", "c", 1).get("a")).contains(List.of("x", "", "y"));
  }

  @Test
  void cslFormsPlainKeysAndKeyValuePairs() throws Exception {
    DataSet set = DataSets.parse("csl: a.example , b=1:2 ,,c = three , a.example=dup", "c", 7);
    assertThat(set.contains("A.example")).isTrue();
    assertThat(set.lookup("a.example").orElseThrow().hasValue()).isFalse();
    assertThat(set.get("b")).contains(List.of("1", "2"));
    assertThat(set.get("c")).contains(List.of("three"));
    assertThat(((ListDataSet) set).entries()).hasSize(4);
    assertThat(set.lookup("b").orElseThrow().source()).isEqualTo(new Source("c", 7));
  }

  @Test
  void listWithoutTypeIsCslEvenWithColonsAfterTheFirstComma() throws Exception {
    DataSet set = DataSets.parse("127.0.0.1,::1,key=a:b", "c", 1);
    assertThat(set.contains("::1")).isTrue();
    assertThat(set.get("key")).contains(List.of("a", "b"));
    assertThat(DataSets.parse("", "c", 1).contains("")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"::1", "::1,127.0.0.1", "2001:db8::/32", "!fe80::1", "[::1]"})
  void listStartingWithAnIpv6AddressIsCsl(String spec) throws Exception {
    DataSet set = DataSets.parse(spec, "c", 1);
    assertThat(set.contains(spec.split(",")[0])).isTrue();
  }

  @Test
  void refilePatternsMatchWholeKeysInFileOrder() throws Exception {
    Path f =
        write(
            "signing",
            "# patterns\n"
                + "*@sub.example.com   sub\n"
                + "*@example.com       main:extra\n"
                + "*example.com        catchall\n"
                + "a.b?c               literal\n"
                + "*                   everything\n");
    DataSet set = DataSets.parse("refile:" + f, "inkan.conf", 9);
    assertThat(set).isInstanceOf(PatternDataSet.class);
    assertThat(set.get("user@sub.example.com")).contains(List.of("sub"));
    assertThat(set.get("USER@Example.com")).contains(List.of("main", "extra"));
    assertThat(set.get("user@notexample.com")).contains(List.of("catchall"));
    assertThat(set.get("a.b?c")).contains(List.of("literal"));
    assertThat(set.get("axbc")).contains(List.of("everything"));
    assertThat(set.lookup("x@example.com").orElseThrow().source().line()).isEqualTo(3);
    DataSet exact = DataSets.parse("refile:" + f, "c", 1, KeyCase.SENSITIVE);
    assertThat(exact.get("USER@Example.com")).contains(List.of("everything"));
  }

  @Test
  void refileWithoutCatchAllMisses() throws Exception {
    Path f = write("p", "*.example.com yes\n");
    DataSet set = DataSets.parse("refile:" + f, "c", 1);
    assertThat(set.contains("mail.example.com")).isTrue();
    assertThat(set.contains("example.com")).isFalse();
    assertThat(set.contains("mail.example.com.evil")).isFalse();
  }

  @Test
  void missingFileNamesConfigLineAndFile() {
    Path f = dir.resolve("nope");
    assertThatThrownBy(() -> DataSets.parse("file:" + f, "/etc/inkan.conf", 12))
        .isInstanceOf(DataSetException.class)
        .hasMessage(
            "/etc/inkan.conf:12: data set \"file:"
                + f
                + "\": "
                + f
                + ": cannot read: no such file");
  }

  @Test
  void directoryIsNotAFile() {
    assertThatThrownBy(() -> DataSets.parse("refile:" + dir, "inkan.conf", 2))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("inkan.conf:2:")
        .hasMessageContaining("is a directory");
  }

  @Test
  void invalidUtf8NamesTheDataSetLine() throws Exception {
    Path f = dir.resolve("bad");
    Files.write(f, new byte[] {'o', 'k', '\n', '#', '\n', 'x', (byte) 0xff, '\n'});
    DataSetException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            DataSetException.class, () -> DataSets.parse("file:" + f, "inkan.conf", 4));
    assertThat(e.declaredAt()).isEqualTo(new Source("inkan.conf", 4));
    assertThat(e.entryAt()).isEqualTo(new Source(f.toString(), 3));
    assertThat(e).hasMessageEndingWith(f + ":3: line is not valid UTF-8");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lua:/x.lua",
        "memcache:localhost/key",
        "mdb:/var/mdb",
        "erlang:n@h:c:m:f",
        "socket:/s",
        "repute:x"
      })
  void otherOpenDkimTypesAreNotSupported(String spec) {
    String type = spec.substring(0, spec.indexOf(':')).toLowerCase();
    assertThatThrownBy(() -> DataSets.parse(spec, "inkan.conf", 5))
        .isInstanceOf(DataSetException.class)
        .hasMessageStartingWith("inkan.conf:5: data set \"" + spec + "\": ")
        .hasMessageContaining("\"" + type + ":\" is not supported");
  }

  /** Remote types go to their backends; one that cannot open names the configuration line. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "db:/nonexistent/hosts",
        "/nonexistent/opendkim/hosts.db",
        "dsn:mysql://u@1+127.0.0.1/db/table=t?keycol=k?datacol=v",
        "ldap://127.0.0.1:1/dc=example?x",
        "LDAPS://127.0.0.1:1/dc=example?x",
        "ldapi:///"
      })
  void remoteTypesThatCannotOpenAreErrorsNamingTheLine(String spec) {
    assertThatThrownBy(() -> DataSets.parse(spec, "inkan.conf", 5))
        .isInstanceOf(DataSetException.class)
        .hasMessageStartingWith("inkan.conf:5: data set \"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis:localhost", "http://x", "hosts:a"})
  void unknownTypesAreErrors(String spec) {
    assertThatThrownBy(() -> DataSets.parse(spec, "inkan.conf", 5))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("unknown data set type");
  }

  @Test
  void emptyPathAndEmptyCslKeyAreErrors() {
    assertThatThrownBy(() -> DataSets.parse("file:", "c", 1))
        .isInstanceOf(DataSetException.class)
        .hasMessage("c:1: data set \"file:\": no file name after the type");
    assertThatThrownBy(() -> DataSets.parse("csl:a,=b", "c", 1))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("has a value but no key");
  }

  @Test
  void lookupReturnsFirstOfDuplicateKeys() throws Exception {
    Path f = write("d", "k first\nK second\n");
    assertThat(DataSets.parse("file:" + f, "c", 1).get("k"))
        .isEqualTo(Optional.of(List.of("first")));
    assertThat(DataSets.parse("file:" + f, "c", 1, KeyCase.SENSITIVE).get("K"))
        .contains(List.of("second"));
  }
}
