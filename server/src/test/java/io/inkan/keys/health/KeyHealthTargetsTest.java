package io.inkan.keys.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.Source;
import io.inkan.keys.KeyTableRow;
import io.inkan.keys.PrivateKeyFiles;
import io.inkan.keys.tools.KeyCheck;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which KeyTable rows the key-health check watches. */
class KeyHealthTargetsTest {
  @TempDir Path dir;

  @Test
  void sendersDomainsDuplicatesAndUnreadableKeysAreLeftOut() throws Exception {
    Path key = dir.resolve("k.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Source at = new Source(dir.resolve("keytable").toString(), 1);
    List<KeyTableRow> rows =
        List.of(
            row("a", "Example.COM:sel:" + key, at),
            row("b", "example.com:sel:" + key, at),
            row("c", "%:sel:" + key, at),
            row("d", "example.net:sel:" + dir.resolve("missing.private"), at),
            row("e", "example.org:s2:" + key + ":rsa-sha256", at));
    List<KeyCheck> checks = KeyHealthTargets.of(rows, new PrivateKeyFiles(false));
    assertThat(checks)
        .extracting(KeyCheck::recordName)
        .containsExactly("sel._domainkey.example.com", "s2._domainkey.example.org");
  }

  private static KeyTableRow row(String name, String value, Source at) throws Exception {
    return KeyTableRow.parse(new DataSetEntry(name, value, at));
  }
}
