package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretTest {
  @TempDir Path dir;

  private Path secretFile(String content, String perms) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, content, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
    return file;
  }

  @Test
  void readsAnOwnerOnlyFileWithoutItsTrailingNewline() throws Exception {
    String key = "k".repeat(32);
    ClusterSecret fromFile = ClusterSecret.readFile(secretFile(key + "\n", "rw-------"));
    ClusterSecret direct = ClusterSecret.of(key.getBytes(StandardCharsets.US_ASCII));
    byte[] m1 = fromFile.newMac().doFinal(new byte[] {1});
    byte[] m2 = direct.newMac().doFinal(new byte[] {1});
    assertThat(m1).isEqualTo(m2);
    assertThat(fromFile.toString()).doesNotContain(key);
  }

  @Test
  void refusesAShortSecret() throws Exception {
    Path file = secretFile("k".repeat(31) + "\n", "r--------");
    assertThatThrownBy(() -> ClusterSecret.readFile(file))
        .isInstanceOf(CacheSetupException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("holds 31 bytes; at least 32");
    assertThatThrownBy(() -> ClusterSecret.of(new byte[8]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAGroupOrWorldReadableFile() throws Exception {
    for (String perms : new String[] {"rw-r-----", "rw----r--"}) {
      Path file = secretFile("k".repeat(40), perms);
      assertThatThrownBy(() -> ClusterSecret.readFile(file))
          .isInstanceOf(CacheSetupException.class)
          .hasMessageContaining("readable by group or others")
          .hasMessageContaining("chmod 600");
    }
  }

  @Test
  void refusesAMissingFile() {
    assertThatThrownBy(() -> ClusterSecret.readFile(dir.resolve("nope")))
        .isInstanceOf(CacheSetupException.class)
        .hasMessageContaining("is not a regular file");
  }
}
