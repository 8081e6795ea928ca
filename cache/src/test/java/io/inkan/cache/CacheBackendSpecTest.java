package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.cache.CacheBackendSpec.HostPort;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheBackendSpecTest {
  @Test
  void bdbDirectory() {
    assertThat(CacheBackendSpec.parse("bdb:/var/lib/inkan/cache"))
        .isEqualTo(new CacheBackendSpec.Bdb(Path.of("/var/lib/inkan/cache")));
    assertThat(CacheBackendSpec.parse(" BDB:/var/lib/inkan/../inkan/cache/ "))
        .isEqualTo(new CacheBackendSpec.Bdb(Path.of("/var/lib/inkan/cache")));
  }

  @Test
  void memcacheServers() {
    CacheBackendSpec spec =
        CacheBackendSpec.parse(
            "memcache:host1:11211, host2:11212,10.0.0.3,[2001:db8::1]:11213,[::1]");
    assertThat(spec)
        .isEqualTo(
            new CacheBackendSpec.Memcache(
                List.of(
                    new HostPort("host1", 11211),
                    new HostPort("host2", 11212),
                    new HostPort("10.0.0.3", 11211),
                    new HostPort("2001:db8::1", 11213),
                    new HostPort("::1", 11211))));
    assertThat(((CacheBackendSpec.Memcache) spec).servers().get(3))
        .hasToString("[2001:db8::1]:11213");
  }

  @Test
  void memcacheAddressesResolve() {
    CacheBackendSpec.Memcache spec =
        (CacheBackendSpec.Memcache) CacheBackendSpec.parse("memcache:127.0.0.1:1,[::1]:2");
    assertThat(spec.addresses()).allSatisfy(a -> assertThat(a.isUnresolved()).isFalse());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|not of the form",
        "/var/lib/inkan|not of the form",
        "redis:host:6379|unknown query cache backend 'redis'",
        "bdb:|needs a directory",
        "bdb:relative/dir|must be an absolute path",
        "memcache:|needs at least one server",
        "memcache:host1:11211,,host2|empty server",
        "memcache:host1:port|port 'port' in 'host1:port' is not a number",
        "memcache:host1:0|outside 1-65535",
        "memcache:host1:70000|outside 1-65535",
        "memcache:2001:db8::1:11211|write it as [address]:port",
        "memcache:[2001:db8::1:11211|lacks the closing ']'",
        "memcache:[2001:db8::1]11211|must be [address] or [address]:port",
        "memcache:[host1]:11211|brackets are for IPv6",
        "memcache::11211|has no host",
        "memcache:host 1:11211|invalid character ' '",
        "memcache:h1:11211,h1:11211|listed twice",
      })
  void clearErrors(String spec, String message) {
    assertThatThrownBy(() -> CacheBackendSpec.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
