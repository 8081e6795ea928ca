package io.inkan.keys.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetOptions.LdapOptions;
import io.inkan.dataset.Source;
import io.inkan.keys.DomainKeySource.DirectoryKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** What the key source tests share: options, a settable clock, waiting for the feed. */
final class Sources {
  static final Source AT = new Source("inkan.conf", 9);

  private Sources() {}

  static DataSetOptions options(Duration timeout, Duration hit, Duration miss, boolean softStart) {
    return new DataSetOptions(
        new LdapOptions(
            Optional.empty(), Optional.empty(), false, Optional.empty(), timeout, 0, 0, 0, false),
        softStart,
        hit,
        miss);
  }

  static DataSetOptions options() {
    return options(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofMinutes(1), false);
  }

  /** A clock for validity windows and a nanosecond counter for TTLs, both set by hand. */
  static final class ManualTime extends Clock {
    final AtomicLong millis = new AtomicLong(Instant.parse("2026-06-01T00:00:00Z").toEpochMilli());
    final AtomicLong nanos = new AtomicLong();

    void advance(Duration d) {
      millis.addAndGet(d.toMillis());
      nanos.addAndGet(d.toNanos());
    }

    void set(Instant t) {
      millis.set(t.toEpochMilli());
    }

    long nanoTime() {
      return nanos.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** Waits until the change feed is in place. */
  static void awaitFeed(LdapKeySource source) throws InterruptedException {
    ChangeFeed feed = source.feed().orElseThrow();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!feed.established() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(feed.established()).as("change feed in place").isTrue();
  }

  /** Asks until the keys satisfy {@code done}; returns how long that took. */
  static Duration until(
      LdapKeySource source, String domain, Predicate<List<DirectoryKey>> done, Duration max)
      throws InterruptedException {
    return until(source, domain, done, max, System.nanoTime());
  }

  /** Asks until the keys satisfy {@code done}; returns how long that took since {@code t0}. */
  static Duration until(
      LdapKeySource source,
      String domain,
      Predicate<List<DirectoryKey>> done,
      Duration max,
      long t0)
      throws InterruptedException {
    while (!done.test(source.keysFor(domain))) {
      if (System.nanoTime() - t0 > max.toNanos()) {
        throw new AssertionError(
            "keys of " + domain + " not as expected after " + max + ": " + source.keysFor(domain));
      }
      Thread.sleep(5);
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  static List<String> selectors(List<DirectoryKey> keys) {
    return keys.stream().map(k -> k.key().selector()).toList();
  }
}
