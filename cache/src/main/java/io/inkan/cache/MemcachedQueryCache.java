package io.inkan.cache;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.GetFuture;
import net.spy.memcached.internal.OperationCompletionListener;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.ops.OperationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query cache shared by a farm, in memcached ({@code memcache:host1:11211,host2:11211}). Names
 * are spread over the servers by consistent (Ketama) hashing, so every node must list the same
 * servers spelled the same way. A server that is down or slower than the timeout is bypassed: a get
 * misses, a put is dropped, both counted as errors, and no caller waits longer than the timeout.
 * Memcached has no authentication, so every value carries an HMAC under the {@link ClusterSecret}
 * ({@link SignedValueCodec}); a value that fails it is ignored and counted as rejected, one in an
 * unknown format version is a plain miss.
 */
public final class MemcachedQueryCache implements QueryCache {
  static {
    if (System.getProperty("net.spy.log.LoggerImpl") == null) {
      System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SLF4JLogger");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(MemcachedQueryCache.class);
  private static final long MAX_EXPTIME_SECONDS = 30L * 24 * 3600;

  private final MemcachedClient client;
  private final SignedValueCodec codec;
  private final RawBytesTranscoder transcoder = new RawBytesTranscoder();
  private final long timeoutNanos;
  private final Clock clock;
  private final StatsRecorder stats = new StatsRecorder("memcache");
  private final ThrottledLog failures = new ThrottledLog(LOG);
  private final ThrottledLog forgeries = new ThrottledLog(LOG);
  private volatile boolean closed;
  private volatile long lastKeys;

  private MemcachedQueryCache(Builder b) throws IOException {
    this.codec = new SignedValueCodec(b.secret);
    this.timeoutNanos = b.timeout.toNanos();
    this.clock = b.clock;
    long timeoutMillis = Math.max(1, b.timeout.toMillis());
    ConnectionFactoryBuilder factory =
        new ConnectionFactoryBuilder()
            .setLocatorType(ConnectionFactoryBuilder.Locator.CONSISTENT)
            .setHashAlg(DefaultHashAlgorithm.KETAMA_HASH)
            .setFailureMode(FailureMode.Redistribute)
            .setOpTimeout(timeoutMillis)
            .setOpQueueMaxBlockTime(timeoutMillis)
            .setTimeoutExceptionThreshold(10)
            .setMaxReconnectDelay(Math.max(1, b.reconnectDelay.toSeconds()))
            .setDaemon(true);
    this.client = new MemcachedClient(factory.build(), b.servers);
  }

  /** A builder for a client of {@code servers}, authenticating values with {@code secret}. */
  public static Builder builder(List<InetSocketAddress> servers, ClusterSecret secret) {
    return new Builder(servers, secret);
  }

  @Override
  public Optional<CachedAnswer> get(String name) {
    if (closed) {
      stats.miss();
      return Optional.empty();
    }
    String normalised = DnsNames.normalise(name);
    long deadline = System.nanoTime() + timeoutNanos;
    Future<byte[]> pending = null;
    byte[] value;
    try {
      pending = client.asyncGet(MemcachedKeys.forName(normalised), transcoder);
      value = pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel(pending);
      stats.failedGet();
      return Optional.empty();
    } catch (TimeoutException | ExecutionException | RuntimeException e) {
      cancel(pending);
      stats.failedGet();
      failures.warn("memcached query cache: get " + normalised + " failed", e);
      return Optional.empty();
    }
    if (value == null) {
      stats.miss();
      return Optional.empty();
    }
    return decoded(normalised, codec.decode(normalised, value));
  }

  /**
   * The get completes on the client's listener thread when memcached answers, or as a miss after
   * {@code QueryCacheTimeout}: no thread waits for the network.
   */
  @Override
  public CompletionStage<Optional<CachedAnswer>> getAsync(String name, Executor blocking) {
    if (closed) {
      stats.miss();
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String normalised = DnsNames.normalise(name);
    GetFuture<byte[]> pending;
    try {
      pending = client.asyncGet(MemcachedKeys.forName(normalised), transcoder);
    } catch (RuntimeException e) {
      stats.failedGet();
      failures.warn("memcached query cache: get " + normalised + " failed", e);
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<Object> raw = new CompletableFuture<>();
    pending.addListener(
        done -> {
          try {
            byte[] value = pending.get(0, TimeUnit.NANOSECONDS);
            raw.complete(value == null ? NOTHING : value);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            raw.complete(e);
          } catch (TimeoutException | ExecutionException | RuntimeException e) {
            raw.complete(e);
          }
        });
    raw.completeOnTimeout(
        new TimeoutException("no answer in time"), timeoutNanos, TimeUnit.NANOSECONDS);
    return raw.thenApply(
        outcome -> {
          if (outcome == NOTHING) {
            stats.miss();
            return Optional.empty();
          }
          if (outcome instanceof Exception e) {
            cancel(pending);
            stats.failedGet();
            failures.warn("memcached query cache: get " + normalised + " failed", e);
            return Optional.empty();
          }
          return decoded(normalised, codec.decode(normalised, (byte[]) outcome));
        });
  }

  /** A get's outcome when memcached has no value for the name. */
  private static final Object NOTHING = new Object();

  private Optional<CachedAnswer> decoded(String name, SignedValueCodec.Decoded decoded) {
    if (decoded instanceof SignedValueCodec.Valid valid) {
      if (valid.answer().isExpiredAt(clock.instant())) {
        stats.expired();
        return Optional.empty();
      }
      stats.hit();
      return Optional.of(valid.answer());
    }
    if (decoded instanceof SignedValueCodec.OtherVersion other) {
      stats.otherVersion();
      LOG.debug("memcached query cache: {} holds format version {}", name, other.version());
    } else {
      stats.rejected();
      String reason = ((SignedValueCodec.Rejected) decoded).reason();
      forgeries.warn("memcached query cache: ignored a value for " + name + ": " + reason, null);
    }
    return Optional.empty();
  }

  @Override
  public void put(String name, CachedAnswer answer) {
    Instant now = clock.instant();
    if (closed || answer.isExpiredAt(now)) {
      return;
    }
    String normalised = DnsNames.normalise(name);
    long seconds = (answer.remainingTtl(now).toMillis() + 999) / 1000;
    int exptime = (int) Math.max(1, Math.min(MAX_EXPTIME_SECONDS, seconds));
    OperationCompletionListener done =
        future -> {
          if (!succeeded(future)) {
            stats.error();
            failures.warn("memcached query cache: put " + normalised + " failed", null);
          }
        };
    try {
      client
          .set(
              MemcachedKeys.forName(normalised),
              exptime,
              codec.encode(normalised, answer),
              transcoder)
          .addListener(done);
    } catch (RuntimeException e) {
      stats.error();
      failures.warn("memcached query cache: put " + normalised + " failed", e);
    }
  }

  /**
   * Counters; {@code keys} is the sum of {@code curr_items} over the servers that answer within the
   * timeout (other users' items included). Waits up to the timeout.
   */
  @Override
  public CacheStats stats() {
    long keys = 0;
    if (!closed) {
      try {
        for (Map<String, String> server : client.getStats().values()) {
          keys += Long.parseLong(server.getOrDefault("curr_items", "0"));
        }
      } catch (RuntimeException e) {
        failures.warn("memcached query cache: stats failed", e);
      }
    }
    lastKeys = keys;
    return stats.snapshot(keys);
  }

  /** Counters without asking the servers; {@code keys} as the last {@link #stats()} found them. */
  @Override
  public CacheStats counters() {
    return stats.snapshot(lastKeys);
  }

  /** Servers connected now. */
  int availableServers() {
    return client.getAvailableServers().size();
  }

  private static boolean succeeded(OperationFuture<?> future) {
    try {
      OperationStatus status = future.getStatus();
      return status != null && status.isSuccess();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void cancel(Future<?> pending) {
    if (pending != null) {
      pending.cancel(false);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      client.shutdown(1, TimeUnit.SECONDS);
    }
  }

  /** Settings for {@link MemcachedQueryCache}; {@link #open()} makes the client. */
  public static final class Builder {
    private final List<InetSocketAddress> servers;
    private final ClusterSecret secret;
    private Duration timeout = Duration.ofMillis(100);
    private Duration reconnectDelay = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();

    private Builder(List<InetSocketAddress> servers, ClusterSecret secret) {
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("at least one memcached server is required");
      }
      this.servers = List.copyOf(servers);
      this.secret = secret;
    }

    /** Longest a get or a put may hold up the caller (default 100 ms, 1 ms to 10 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("timeout must be 1 ms to 10 s, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Longest wait between reconnection attempts to a lost server (default 5 s, at least 1 s). */
    public Builder reconnectDelay(Duration reconnectDelay) {
      if (reconnectDelay.toSeconds() < 1) {
        throw new IllegalArgumentException("reconnectDelay must be at least 1 s");
      }
      this.reconnectDelay = reconnectDelay;
      return this;
    }

    /** The clock deciding expiry (default the system clock). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Starts the client; servers that are down now are retried in the background.
     *
     * @throws CacheSetupException if a server's host name does not resolve
     */
    public MemcachedQueryCache open() {
      for (InetSocketAddress server : servers) {
        if (server.isUnresolved()) {
          throw new CacheSetupException(
              "memcached server "
                  + server.getHostString()
                  + ":"
                  + server.getPort()
                  + ": unknown host");
        }
      }
      try {
        return new MemcachedQueryCache(this);
      } catch (IOException e) {
        throw new CacheSetupException("cannot start the memcached client for " + servers, e);
      }
    }
  }
}
