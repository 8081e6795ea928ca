package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cache.CacheBackendSpec;
import io.inkan.config.Config;
import io.inkan.config.ConfigException;
import io.inkan.config.ConfigLoader;
import io.inkan.config.DnsSettings.QueryCacheSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query-cache keys as a configuration file gives them, and errors naming file and line. */
class QueryCacheConfigTest {
  @TempDir Path dir;

  private Path conf(String text) throws IOException {
    return Files.writeString(dir.resolve("t.conf"), text);
  }

  private Config load(String text) throws Exception {
    return ConfigLoader.load(conf(text)).config();
  }

  private String configError(String text) throws IOException {
    Path file = conf(text);
    try {
      ConfigLoader.load(file);
    } catch (ConfigException e) {
      return e.getMessage().replace(file.toString(), "t.conf");
    }
    throw new AssertionError("loaded: " + text);
  }

  /** The message with which building the chain for {@code text} fails. */
  private String startError(String text) throws Exception {
    Path file = conf(text);
    Config config = ConfigLoader.load(file).config();
    try (KeyLookupChain chain = KeyRecordLookups.from(config.dns())) {
      throw new AssertionError("built " + chain + " from " + text);
    } catch (IOException e) {
      return e.getMessage().replace(file.toString(), "t.conf").replace(dir.toString(), "DIR");
    }
  }

  /** The message with which checking {@code text} without building anything fails. */
  private String checkError(String text) throws Exception {
    Path file = conf(text);
    try {
      KeyRecordLookups.check(ConfigLoader.load(file).config().dns());
    } catch (IOException e) {
      return e.getMessage().replace(file.toString(), "t.conf").replace(dir.toString(), "DIR");
    }
    throw new AssertionError("checked: " + text);
  }

  /** The start-up error, which a check ({@code serve -n}) gives too. */
  private String bothErrors(String text) throws Exception {
    String error = startError(text);
    assertThat(checkError(text)).isEqualTo(error);
    return error;
  }

  private Path secret(String text, String mode) throws IOException {
    Path f = Files.writeString(dir.resolve("secret"), text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  void defaultsAsDocumented() throws Exception {
    QueryCacheSettings q = load("Mode v\n").dns().cache();
    assertThat(q).isEqualTo(QueryCacheSettings.DEFAULTS);
    assertThat(List.of(q.timeoutMillis(), q.maxEntries(), q.minTtlSeconds(), q.maxTtlSeconds()))
        .containsExactly(100, 100_000, 30, 3600);
    assertThat(List.of(q.negativeTtlSeconds(), q.tempFailTtlSeconds())).containsExactly(300, 5);
    assertThat(q.backend()).isEmpty();
  }

  @Test
  void everyKeyIsRead() throws Exception {
    Config c =
        load(
            String.join(
                "\n",
                "QueryCache yes",
                "querycachebackend memcache:10.0.0.1,[2001:db8::1]:11311",
                "QueryCacheSecretFile /etc/inkan/cluster.secret",
                "QueryCacheTimeout 250",
                "QueryCacheMaxEntries 5000",
                "QueryCacheMinTTL 10",
                "QueryCacheMaxTTL 7200",
                "QueryCacheNegativeTTL 60",
                "QueryCacheTempFailTTL 0"));
    QueryCacheSettings q = c.dns().cache();
    assertThat(c.dns().queryCache()).isTrue();
    assertThat(q.backend().orElseThrow().value())
        .isEqualTo(
            new CacheBackendSpec.Memcache(
                List.of(
                    new CacheBackendSpec.HostPort("10.0.0.1", 11211),
                    new CacheBackendSpec.HostPort("2001:db8::1", 11311))));
    assertThat(q.backend().orElseThrow().line()).isEqualTo(2);
    assertThat(q.secretFile().orElseThrow().value())
        .isEqualTo(Path.of("/etc/inkan/cluster.secret"));
    assertThat(q.secretFile().orElseThrow().line()).isEqualTo(3);
    assertThat(
            List.of(
                q.timeoutMillis(),
                q.maxEntries(),
                q.minTtlSeconds(),
                q.maxTtlSeconds(),
                q.negativeTtlSeconds(),
                q.tempFailTtlSeconds()))
        .containsExactly(250, 5000, 10, 7200, 60, 0);
  }

  @Test
  void badValuesNameTheLine() throws Exception {
    assertThat(configError("Mode v\nQueryCacheBackend redis:host\n"))
        .startsWith("t.conf:2: QueryCacheBackend: bdb:/absolute/directory or memcache:")
        .contains("unknown query cache backend 'redis'")
        .endsWith("got redis:host");
    assertThat(configError("QueryCacheBackend bdb:var/cache\n"))
        .startsWith("t.conf:1: QueryCacheBackend:")
        .contains("must be an absolute path");
    assertThat(configError("QueryCacheBackend memcache:host:0\n")).contains("outside 1-65535");
    assertThat(configError("QueryCacheTimeout 0\n"))
        .isEqualTo("t.conf:1: QueryCacheTimeout: milliseconds from 1 to 10000, got 0");
    assertThat(configError("QueryCacheTempFailTTL 301\n"))
        .startsWith("t.conf:1: QueryCacheTempFailTTL: seconds from 0 (never) to 300");
    assertThat(configError("QueryCacheMaxEntries 0\n"))
        .startsWith("t.conf:1: QueryCacheMaxEntries:");
    assertThat(configError("QueryCacheNegativeTTL -1\n"))
        .startsWith("t.conf:1: QueryCacheNegativeTTL:");
    assertThat(configError("QueryCacheMinTTL 600\nMode v\nQueryCacheMaxTTL 300\n"))
        .isEqualTo(
            "t.conf:3: QueryCacheMaxTTL: seconds from 600 (QueryCacheMinTTL) to 604800, got 300");
    assertThat(configError("QueryCacheMaxTTL 300\nQueryCacheMinTTL 600\n"))
        .isEqualTo("t.conf:2: QueryCacheMinTTL: seconds from 0 to 300 (QueryCacheMaxTTL), got 600");
  }

  /** A maximum below the default minimum lowers the minimum rather than failing. */
  @Test
  void aLowMaximumLowersTheDefaultMinimum() throws Exception {
    QueryCacheSettings q = load("QueryCacheMaxTTL 10\n").dns().cache();
    assertThat(q.minTtlSeconds()).isEqualTo(10);
    assertThat(q.maxTtlSeconds()).isEqualTo(10);
  }

  @Test
  void memcachedNeedsAUsableSecretFile() throws Exception {
    assertThat(bothErrors("Mode v\nQueryCacheBackend memcache:127.0.0.1:11211\n"))
        .startsWith("t.conf:2: QueryCacheBackend: memcache: needs QueryCacheSecretFile");
    String backend = "QueryCacheBackend memcache:127.0.0.1:11211\n";
    assertThat(bothErrors(backend + "QueryCacheSecretFile " + dir.resolve("missing") + "\n"))
        .startsWith("t.conf:2: QueryCacheSecretFile: cluster secret file DIR/missing")
        .contains("not a regular file");
    Path weak = secret("too short\n", "rw-------");
    assertThat(bothErrors(backend + "QueryCacheSecretFile " + weak + "\n"))
        .isEqualTo(
            "t.conf:2: QueryCacheSecretFile: cluster secret file DIR/secret holds 9 bytes; at"
                + " least 32 are required (e.g. openssl rand -base64 48)");
    Path open = secret("0123456789abcdef0123456789abcdef\n", "rw-r--r--");
    assertThat(bothErrors(backend + "QueryCacheSecretFile " + open + "\n"))
        .startsWith("t.conf:2: QueryCacheSecretFile: cluster secret file DIR/secret is readable")
        .endsWith("chmod 600 it");
  }

  @Test
  void anUnusableJeDirectoryNamesTheLine() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    String conf = "QueryCache yes\nQueryCacheBackend bdb:" + file.resolve("cache") + "\n";
    assertThat(startError(conf))
        .startsWith("t.conf:2: QueryCacheBackend: cannot create JE query cache directory");
    assertThat(checkError(conf))
        .isEqualTo(
            "t.conf:2: QueryCacheBackend: JE query cache directory DIR/plain-file/cache:"
                + " DIR/plain-file is not a writable directory");
  }

  /** A JE directory held by a running daemon does not fail the check of its configuration. */
  @Test
  void aCheckOpensNothing() throws Exception {
    Path je = dir.resolve("je");
    Config config = load("QueryCacheBackend bdb:" + je + "\n");
    try (KeyLookupChain running = KeyRecordLookups.from(config.dns())) {
      KeyRecordLookups.check(config.dns());
      assertThat(running.layerStats()).containsOnlyKeys("bdb");
    }
    Path unused = dir.resolve("not/yet/there");
    KeyRecordLookups.check(load("QueryCacheBackend bdb:" + unused + "\n").dns());
    assertThat(unused).doesNotExist();
  }

  /** With neither QueryCache nor QueryCacheBackend, DNS is asked directly. */
  @Test
  void withoutCachesTheChainHasNoLayers() throws Exception {
    try (KeyLookupChain chain = KeyRecordLookups.from(load("Mode v\n").dns())) {
      assertThat(chain.layerStats()).isEmpty();
    }
    try (KeyLookupChain chain = KeyRecordLookups.from(load("QueryCache yes\n").dns())) {
      assertThat(chain.layerStats()).containsOnlyKeys("memory");
    }
  }
}
