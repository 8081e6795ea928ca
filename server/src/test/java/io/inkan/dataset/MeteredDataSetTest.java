package io.inkan.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data sets parsed with metrics count their lookups by backend and result, their caches' hits and
 * misses, and report a remote server's reachability until closed.
 */
class MeteredDataSetTest {
  @TempDir Path dir;

  /** Counts what it is told, keyed {@code kind/result}. */
  static final class Recorder implements DataSetMetrics {
    final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    final Map<String, BooleanSupplier> watched = new ConcurrentHashMap<>();

    @Override
    public void lookup(String kind, Result result) {
      counts.computeIfAbsent(kind + "/" + result.tag(), k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void cache(String kind, boolean hit) {
      counts
          .computeIfAbsent("cache " + kind + "/" + (hit ? "hit" : "miss"), k -> new AtomicInteger())
          .incrementAndGet();
    }

    @Override
    public Registration reachable(String kind, String name, BooleanSupplier up) {
      watched.put(kind + " " + name, up);
      return () -> watched.remove(kind + " " + name);
    }

    int count(String key) {
      AtomicInteger n = counts.get(key);
      return n == null ? 0 : n.get();
    }
  }

  private final Recorder metrics = new Recorder();

  private DataSet parse(String spec) throws Exception {
    return DataSets.parse(
        spec, "test.conf", 1, KeyCase.INSENSITIVE, DataSetOptions.DEFAULTS.withMetrics(metrics));
  }

  @Test
  void localSetsCountHitsAndMissesByKind() throws Exception {
    Path file = Files.writeString(dir.resolve("keys"), "a.example v1\n");
    Path patterns = Files.writeString(dir.resolve("signing"), "*@a.example k\n");
    DataSet f = parse("file:" + file);
    DataSet bare = parse(file.toString());
    DataSet re = parse("refile:" + patterns);
    DataSet list = parse("csl:x.example,y.example");
    assertThat(f.lookup("a.example")).isPresent();
    assertThat(f.lookup("b.example")).isEmpty();
    assertThat(bare.contains("a.example")).isTrue();
    assertThat(re.lookupAll("joe@a.example")).hasSize(1);
    assertThat(re.lookup("joe@b.example")).isEmpty();
    assertThat(list.get("y.example")).isPresent();
    assertThat(list.contains("2001:db8::1")).isFalse();
    assertThat(metrics.counts)
        .containsOnlyKeys(
            "file/hit", "file/miss", "refile/hit", "refile/miss", "csl/hit", "csl/miss");
    assertThat(metrics.count("file/hit")).isEqualTo(2);
    assertThat(metrics.count("file/miss")).isEqualTo(1);
    assertThat(f.localEntries()).isPresent(); // still walkable through the decorator
    assertThat(re.patternKeys()).isTrue();
  }

  @Test
  void kindsFollowOpenDkimsTypeRules() {
    assertThat(DataSets.kind("file:/x")).isEqualTo("file");
    assertThat(DataSets.kind("/etc/inkan/keys")).isEqualTo("file");
    assertThat(DataSets.kind("/var/lib/inkan/keys.db")).isEqualTo("db");
    assertThat(DataSets.kind("db:/var/lib/inkan/keys")).isEqualTo("db");
    assertThat(DataSets.kind("REfile:/x")).isEqualTo("refile");
    assertThat(DataSets.kind("dsn:mysql://u:p@h/db/table=t")).isEqualTo("dsn");
    assertThat(DataSets.kind("ldaps://h/dc=x")).isEqualTo("ldap");
    assertThat(DataSets.kind("192.0.2.1,::1")).isEqualTo("csl");
    assertThat(DataSets.kind("2001:db8::/32")).isEqualTo("csl");
    assertThat(DataSets.kind("localhost")).isEqualTo("csl");
  }

  @Test
  void failuresAreErrorsAndTheCacheCountsHitsAndMisses() {
    AtomicBoolean down = new AtomicBoolean();
    Remote remote = new Remote(down);
    CachedDataSet cached =
        new CachedDataSet(
            remote,
            KeyCase.INSENSITIVE,
            Duration.ofMinutes(5),
            Duration.ofMinutes(1),
            100,
            metrics,
            "ldap");
    DataSet set = new MeteredDataSet(cached, "ldap", metrics);
    assertThat(metrics.watched).containsOnlyKeys("ldap ldap://h/dc=x");
    BooleanSupplier up = metrics.watched.get("ldap ldap://h/dc=x");
    assertThat(set.lookup("a")).isPresent();
    assertThat(set.lookup("a")).isPresent();
    assertThat(set.lookup("nope")).isEmpty();
    down.set(true);
    assertThatThrownBy(() -> set.lookup("b")).isInstanceOf(DataSetUnavailableException.class);
    assertThat(up.getAsBoolean()).isFalse();
    assertThat(metrics.count("ldap/hit")).isEqualTo(2);
    assertThat(metrics.count("ldap/miss")).isEqualTo(1);
    assertThat(metrics.count("ldap/error")).isEqualTo(1);
    assertThat(metrics.count("cache ldap/hit")).isEqualTo(1);
    assertThat(metrics.count("cache ldap/miss")).isEqualTo(3);
    set.close();
    assertThat(metrics.watched).isEmpty();
    assertThat(remote.closed).isTrue();
  }

  /** A remote set stand-in that knows one key and can be down. */
  private static final class Remote implements DataSet, Reachable {
    final AtomicBoolean down;
    boolean closed;

    Remote(AtomicBoolean down) {
      this.down = down;
    }

    @Override
    public Optional<DataSetEntry> lookup(String key) {
      if (down.get()) {
        throw new DataSetUnavailableException("down", null);
      }
      return key.equals("a")
          ? Optional.of(new DataSetEntry("a", "v", declaredAt()))
          : Optional.empty();
    }

    @Override
    public boolean reachable() {
      return !down.get();
    }

    @Override
    public String spec() {
      return "ldap://h/dc=x";
    }

    @Override
    public Source declaredAt() {
      return new Source("test.conf", 2);
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public List<DataSetEntry> lookupAll(String key) {
      return lookup(key).stream().toList();
    }
  }
}
