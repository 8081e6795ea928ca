package io.inkan.bench;

import io.inkan.cache.AnswerType;
import io.inkan.cache.BdbQueryCache;
import io.inkan.cache.CachedAnswer;
import io.inkan.cache.CaffeineQueryCache;
import io.inkan.cache.ClusterSecret;
import io.inkan.cache.MemcachedQueryCache;
import io.inkan.cache.QueryCache;
import io.inkan.config.ConfigLoader;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dns.KeyLookupChain;
import io.inkan.dns.KeyRecordLookups;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one key-record lookup answered by a query-cache layer (issue 5: "in-process hit cost;
 * memcached hit p99 on loopback"), through the lookup chain the server builds ({@link
 * KeyRecordLookups#from}) from a configuration file: the source is a {@code TestPublicKeys} file,
 * so no DNS server is needed, and after the first lookup every lookup is a hit in the layer under
 * test.
 *
 * <ul>
 *   <li>{@code keys}: no cache, the {@code TestPublicKeys} file itself (the floor);
 *   <li>{@code memory}: {@code QueryCache yes}, a hit in the in-process (Caffeine) layer, decoded;
 *   <li>{@code memcache}: {@code QueryCache no} and {@code QueryCacheBackend memcache:...}: a get
 *       from memcached on loopback, HMAC checked, on the chain's blocking executor;
 *   <li>{@code bdb}: {@code QueryCache no} and {@code QueryCacheBackend bdb:DIR}: a JE read.
 * </ul>
 *
 * <p>{@code lookup} goes through the whole chain. Its single-flight stage (above the shared layer)
 * hands a caller the finished flight until that flight leaves its map, so a caller that asks again
 * at once may get the previous answer without a shared-layer get: for {@code memcache} and {@code
 * bdb} compare the layer's query count (printed at tear-down) with the operations. {@code get}
 * times the layer's own {@link QueryCache#get} on a separate instance of the same kind (an entry of
 * a 400-byte record, as a key record is stored), which is the per-hit cost without the chain.
 *
 * <p>memcached is {@code -p memcached=127.0.0.1:PORT}, or else a private {@code /usr/bin/memcached}
 * on a free loopback port started for the fork. SampleTime gives the percentiles (p99 is the
 * issue's figure); AverageTime the mean. Single-threaded.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class QueryCacheBenchmark {
  private static final String NAME = "sel._domainkey.example.com";

  /** The direct instance's entry: another name, so it never meets the chain's in memcached. */
  private static final String DIRECT_NAME = "direct._domainkey.example.com";

  @Param({"keys", "memory", "memcache", "bdb"})
  public String layer;

  /** host:port of a running memcached; empty starts a private one. */
  @Param({""})
  public String memcached;

  private Path dir;
  private Process memcachedProcess;
  private KeyLookupChain chain;
  private QueryCache direct;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("inkan-qcbench");
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String p = Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded());
    Path keys = dir.resolve("keys");
    Files.writeString(keys, NAME + " v=DKIM1; k=rsa; p=" + p + "\n");
    List<String> conf = new ArrayList<>(List.of("Mode v", "TestPublicKeys " + keys));
    switch (layer) {
      case "keys" -> {}
      case "memory" -> {
        conf.add("QueryCache yes");
        direct = new CaffeineQueryCache(100_000);
      }
      case "memcache" -> {
        String server = memcached.isEmpty() ? startMemcached() : memcached;
        String[] hp = server.split(":");
        byte[] key = ("direct-" + "k".repeat(40)).getBytes(StandardCharsets.US_ASCII);
        direct =
            MemcachedQueryCache.builder(
                    List.of(new InetSocketAddress(hp[0], Integer.parseInt(hp[1]))),
                    ClusterSecret.of(key))
                .open();
        Path secret = dir.resolve("secret");
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        Files.writeString(secret, Base64.getEncoder().encodeToString(bytes) + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        conf.addAll(
            List.of(
                "QueryCache no",
                "QueryCacheBackend memcache:" + server,
                "QueryCacheSecretFile " + secret));
      }
      case "bdb" -> {
        conf.addAll(List.of("QueryCache no", "QueryCacheBackend bdb:" + dir.resolve("je")));
        direct = BdbQueryCache.builder(Files.createDirectories(dir.resolve("je-direct"))).open();
      }
      default -> throw new IllegalArgumentException("layer must be keys, memory, memcache or bdb");
    }
    Path file = dir.resolve("inkan.conf");
    Files.write(file, conf, StandardCharsets.US_ASCII);
    chain = KeyRecordLookups.from(ConfigLoader.load(file).config().dns());
    // the first lookup fills the layer (a shared layer is written asynchronously: give it time)
    lookupFound();
    if (direct != null) {
      direct.put(
          DIRECT_NAME,
          CachedAnswer.expiringIn(
              AnswerType.ANSWER,
              ("v=DKIM1; k=rsa; p=" + p).getBytes(StandardCharsets.US_ASCII),
              Duration.ofHours(1),
              Clock.systemUTC()));
    }
    Thread.sleep(500);
    lookupFound();
    if (direct != null && direct.get(DIRECT_NAME).isEmpty()) {
      throw new IllegalStateException(layer + ": the direct entry is not there");
    }
  }

  private void lookupFound() {
    KeyLookupResult r = lookup();
    if (!(r instanceof KeyLookupResult.Found)) {
      throw new IllegalStateException(layer + ": expected the key record, got " + r);
    }
  }

  @Benchmark
  public KeyLookupResult lookup() {
    return chain.lookup(NAME).toCompletableFuture().join();
  }

  /** The layer's own get (a hit); {@code keys} has no layer and returns empty. */
  @Benchmark
  public Optional<CachedAnswer> get() {
    return direct == null ? Optional.empty() : direct.get(DIRECT_NAME);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException, InterruptedException {
    if (chain != null) {
      System.out.println(layer + " chain layers: " + chain.layerStats());
      chain.close();
    }
    if (direct != null) {
      System.out.println(layer + " direct: " + direct.stats());
      direct.close();
    }
    if (memcachedProcess != null) {
      memcachedProcess.destroy();
      memcachedProcess.waitFor(5, TimeUnit.SECONDS);
      memcachedProcess.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private String startMemcached() throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of("/usr/bin/memcached", "-l", "127.0.0.1", "-p", "" + port, "-U", "0"));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("-u", "root"));
    }
    memcachedProcess =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("memcached.log").toFile())
            .start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return "127.0.0.1:" + port;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("memcached did not open 127.0.0.1:" + port);
  }
}
