package io.inkan.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSets;
import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyTableTest {
  @TempDir Path dir;
  private Path rsa;
  private Path ed;

  @BeforeEach
  void keys() throws Exception {
    rsa = copy("rsa2048.private", "example.com.private");
    ed = copy("rfc8463-ed25519.key", "ed.key");
  }

  private Path copy(String resource, String name) throws Exception {
    Path p = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/keys/" + resource)) {
      Files.write(p, in.readAllBytes());
    }
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  private DataSet table(String text) throws Exception {
    Path f = Files.writeString(dir.resolve("keytable"), text);
    return DataSets.parse("file:" + f, "inkan.conf", 7);
  }

  private KeyTable load(String text, boolean safe) throws Exception {
    return KeyTable.load(table(text), new PrivateKeyFiles(safe));
  }

  @Test
  void resolvesEntriesWithTheKeysDefaultAlgorithm() throws Exception {
    KeyTable t = load("# keys\nmain example.com:sel2026:" + rsa + "\n", true);
    ResolvedKey k = t.resolve("main", "example.com").orElseThrow();
    assertThat(k.domain()).isEqualTo("example.com");
    assertThat(k.selector()).isEqualTo("sel2026");
    assertThat(k.key().type()).isEqualTo(KeyType.RSA);
    assertThat(k.algorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
    assertThat(t.resolve("other", "example.com")).isEmpty();
  }

  @Test
  void parsesEachKeyFileOnce() throws Exception {
    KeyTable t = load("a example.com:s1:" + rsa + "\nb example.org:s2:" + rsa + "\n", false);
    assertThat(t.resolve("a", "x").orElseThrow().key())
        .isSameAs(t.resolve("b", "y").orElseThrow().key());
  }

  @Test
  void percentDomainAndPerDomainKeyPaths() throws Exception {
    KeyTable t = load("wild %:mail:" + dir + "/%.private\n", true);
    ResolvedKey k = t.resolve("wild", "example.com").orElseThrow();
    assertThat(k.domain()).isEqualTo("example.com");
    assertThatThrownBy(() -> t.resolve("wild", "example.net"))
        .isInstanceOf(KeyTableException.class)
        .hasMessageContaining("example.net.private");
  }

  @Test
  void algorithmFieldAndInlineKeys() throws Exception {
    String seed = Files.readString(ed).strip();
    KeyTable t = load("ed example.com:ed1:" + seed + ":ed25519-sha256\n", false);
    assertThat(t.resolve("ed", "example.com").orElseThrow().algorithm())
        .isEqualTo(DkimAlgorithm.ED25519_SHA256);
    assertThatThrownBy(() -> load("bad example.com:s:" + rsa + ":rsa-sha1\n", false))
        .hasMessageContaining("keytable:1: bad")
        .hasMessageContaining("RFC 8301");
    KeyTable mismatch = load("m example.com:s:" + rsa + ":ed25519-sha256\n", false);
    assertThatThrownBy(() -> mismatch.resolve("m", "example.com"))
        .hasMessageContaining("does not fit a RSA key");
  }

  @Test
  void badEntriesStopLoadingWithFileAndLine() throws Exception {
    assertThatThrownBy(() -> load("ok example.com:s:" + rsa + "\nshort example.com:s\n", false))
        .isInstanceOf(KeyTableException.class)
        .hasMessage(
            "KeyTable "
                + dir.resolve("keytable")
                + ":2: short: expected"
                + " DOMAIN:SELECTOR:KEY[:ALGORITHM]");
    assertThatThrownBy(() -> load("gone example.com:s:" + dir + "/missing.pem\n", false))
        .hasMessageContaining("keytable:1: gone: cannot read key file");
    Files.writeString(dir.resolve("junk.pem"), "not a key");
    assertThatThrownBy(() -> load("junk example.com:s:" + dir + "/junk.pem\n", false))
        .hasMessageContaining("keytable:1: junk: key file")
        .hasMessageContaining("not usable");
  }

  @Test
  void requireSafeKeysRefusesGroupOrWorldReadableFiles() throws Exception {
    Files.setPosixFilePermissions(rsa, PosixFilePermissions.fromString("rw-r--r--"));
    String line = "main example.com:s:" + rsa + "\n";
    assertThatThrownBy(() -> load(line, true)).hasMessageContaining("RequireSafeKeys");
    assertThat(load(line, false).resolve("main", "example.com")).isPresent();
  }
}
