package io.inkan.cli;

import io.inkan.config.ClusterSettings;
import io.inkan.config.Config;
import io.inkan.config.ConfigException;
import io.inkan.config.DataSetRef;
import io.inkan.config.LoadedConfig;
import io.inkan.config.SocketSpec;
import io.inkan.config.UserId;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSets;
import io.inkan.dataset.HostList;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dns.KeyRecordLookups;
import io.inkan.keys.health.KeyHealthMonitor;
import io.inkan.keys.health.KeyHealthTargets;
import io.inkan.keys.tools.KeyCheck;
import io.inkan.milter.MilterHandler;
import io.inkan.policy.DkimMilterHandler;
import io.inkan.policy.DkimPolicy;
import io.inkan.policy.PolicyException;
import io.inkan.policy.SenderKeys;
import io.inkan.policy.SignatureService;
import io.inkan.runtime.CryptoExecutor;
import io.inkan.runtime.MilterServer;
import io.inkan.runtime.MilterServerOptions;
import io.inkan.runtime.PrivilegeDrop;
import io.inkan.runtime.PrivilegeDropException;
import io.inkan.runtime.admin.AdminOptions;
import io.inkan.runtime.admin.AdminServer;
import io.inkan.runtime.admin.DaemonMeters;
import io.inkan.runtime.cluster.Cluster;
import io.inkan.telemetry.Health;
import io.inkan.telemetry.ReadinessProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code inkan serve} runs: the policy (swapped whole on reload, so a connection's messages
 * always see one consistent configuration), the socket and who may connect to it.
 */
final class ServeRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ServeRuntime.class);

  /** sysexits.h: an operating-system error (here, a failed setuid). */
  private static final int EX_OSERR = 71;

  /** Where blocking SQL/LDAP/JE key lookups wait, apart from the crypto threads. */
  private static final CryptoExecutor LOOKUPS = new CryptoExecutor(64, "inkan-lookup-");

  private final CryptoExecutor crypto;
  private final Config startConfig;
  private final SocketSpec socket;
  private final Optional<Predicate<InetAddress>> allowedClients;
  private final AtomicReference<DkimPolicy> policy;
  private final DaemonMeters meters;
  private final Optional<PrivilegeDrop.Account> dropTo;
  private final AtomicReference<Config> running;
  private final Optional<AdminOptions> admin;
  private final Optional<Cluster> cluster;
  private AdminServer adminServer;
  private List<KeyCheck> startKeys = List.of();
  private KeyHealthMonitor keyHealth; // guarded by this
  private volatile boolean closed;

  private ServeRuntime(
      CryptoExecutor crypto,
      Config config,
      SocketSpec socket,
      Optional<Predicate<InetAddress>> allowedClients,
      DkimPolicy policy,
      DaemonMeters meters,
      Optional<PrivilegeDrop.Account> dropTo,
      Optional<AdminOptions> admin,
      Optional<Cluster> cluster) {
    this.admin = admin;
    this.cluster = cluster;
    this.running = new AtomicReference<>(config);
    this.dropTo = dropTo;
    this.meters = meters;
    this.crypto = crypto;
    this.startConfig = config;
    this.socket = socket;
    this.allowedClients = allowedClients;
    this.policy = new AtomicReference<>(policy);
  }

  /** Checks a configuration through and through and builds everything but the socket. */
  static ServeRuntime start(LoadedConfig loaded, CryptoExecutor crypto, boolean checkOnly)
      throws ServeException {
    Config config = loaded.config();
    ClusterSettings clusterSettings = config.cluster();
    try {
      clusterSettings.check();
    } catch (ConfigException e) {
      throw new ServeException(ServeCommand.EX_CONFIG, e.getMessage());
    }
    // A signer-only node speaks no milter: it serves the cluster's front-ends.
    boolean milter = !clusterSettings.enabled() || clusterSettings.frontEnd();
    if (!milter && config.service().socket().isPresent()) {
      LOG.warn("ClusterRole signer: Socket ignored (front-ends speak milter, signers sign)");
    }
    SocketSpec socket =
        !milter
            ? null
            : config
                .service()
                .socket()
                .orElseThrow(
                    () ->
                        new ServeException(
                            ServeCommand.EX_CONFIG,
                            "Socket: required (e.g. inet:8891@127.0.0.1 or"
                                + " local:/run/inkan/inkan.sock)"));
    Optional<PrivilegeDrop.Account> dropTo = checkUserId(config);
    Optional<Predicate<InetAddress>> allowed = allowedClients(config);
    if (socket instanceof SocketSpec.Inet inet && !inet.isLoopback() && allowed.isEmpty()) {
      throw new ServeException(
          ServeCommand.EX_CONFIG,
          "Socket "
              + socket.text()
              + " is not loopback: list the MTA addresses allowed to connect in"
              + " MilterAllowedClients (signing trusts the MTA, so an open milter port would"
              + " sign anything for anyone)");
    }
    Optional<AdminOptions> admin = admin(config);
    DaemonMeters meters = new DaemonMeters();
    Optional<Cluster> cluster =
        checkOnly || !clusterSettings.enabled()
            ? Optional.empty()
            : Optional.of(joinCluster(clusterSettings, meters));
    DkimPolicy first;
    try {
      first = policy(config, crypto, meters, checkOnly, cluster);
    } catch (ServeException | RuntimeException e) {
      cluster.ifPresent(Cluster::close);
      throw e;
    }
    ServeRuntime runtime =
        new ServeRuntime(crypto, config, socket, allowed, first, meters, dropTo, admin, cluster);
    runtime.startKeys = checkOnly ? List.of() : keyHealthTargets(config);
    cluster.ifPresent(c -> meters.instruments().probe(c.probe()));
    return runtime;
  }

  /**
   * The keys KeyHealthInterval watches, their private keys read now (maybe still as root); none on
   * a front-end-only node, which never reads a private key.
   */
  private static List<KeyCheck> keyHealthTargets(Config config) {
    boolean holdsKeys = !config.cluster().enabled() || config.cluster().signer();
    return holdsKeys && config.limits().keyHealthIntervalSeconds() > 0
        ? KeyHealthTargets.of(config)
        : List.of();
  }

  private static Cluster joinCluster(ClusterSettings settings, DaemonMeters meters)
      throws ServeException {
    try {
      return Cluster.join(settings, meters.registry(), Duration.ofSeconds(60));
    } catch (IllegalStateException e) {
      throw new ServeException(1, e.getMessage());
    }
  }

  /** The clustered Vert.x, when this node is a cluster member. */
  Optional<Vertx> clusterVertx() {
    return cluster.map(Cluster::vertx);
  }

  /** Whether this node speaks milter (every node but a signer-only one). */
  boolean servesMilter() {
    return socket != null;
  }

  /**
   * A signer node starts serving key choices and signatures, and tells the front-ends of each
   * change the SigningDirectory pushes; a no-op on other nodes.
   */
  void serveSigner() {
    if (cluster.isEmpty() || !cluster.get().settings().signer()) {
      return;
    }
    Cluster c = cluster.get();
    policy.get().onKeyChange(c::announceChange);
    c.serveSigner(policy::get, LOOKUPS, crypto);
    c.announceChange(); // front-ends may hold choices from before this signer (re)started
  }

  /**
   * A signer-only node: the admin endpoint, the key-health check and the privilege drop that {@link
   * #listen} does for a milter node.
   */
  void standBy(Vertx vertx) throws ServeException {
    startAdmin(vertx, null);
    startKeyHealth(startConfig, startKeys);
    if (dropTo.isPresent()) {
      dropPrivileges(null, dropTo.get());
    }
  }

  /**
   * Replaces the key-health check with one for {@code keys} under {@code config}'s interval (0:
   * none). Records are looked up without the query caches, so a botched record shows at once.
   */
  private synchronized void startKeyHealth(Config config, List<KeyCheck> keys) {
    stopKeyHealth(); // its meters go before the new monitor registers the same names
    int seconds = config.limits().keyHealthIntervalSeconds();
    if (seconds <= 0 || closed) {
      return;
    }
    try {
      keyHealth =
          KeyHealthMonitor.start(
              keys,
              KeyRecordLookups.withoutCaches(config.dns()),
              meters.registry(),
              Duration.ofSeconds(seconds));
    } catch (IOException e) {
      LOG.warn("KeyHealthInterval: key records cannot be looked up: {}", e.getMessage());
    }
  }

  private synchronized void stopKeyHealth() {
    if (keyHealth != null) {
      keyHealth.close();
      keyHealth = null;
    }
  }

  /** AdminListen and its files, checked and read now (as root, before privileges drop). */
  private static Optional<AdminOptions> admin(Config config) throws ServeException {
    try {
      config.admin().check();
      return AdminOptions.of(config.admin());
    } catch (ConfigException | IOException e) {
      throw new ServeException(ServeCommand.EX_CONFIG, e.getMessage());
    }
  }

  /**
   * Opens the socket and then, when started as root with a UserID, becomes that user before any
   * connection is served: the socket is bound as root (so it may live in a directory only root can
   * write), a unix socket file is then given to UserID's user and group (as OpenDKIM's socket is
   * owned by its user), and the private keys were read as root by {@link #start}.
   */
  MilterServer listen(Vertx vertx) throws ServeException {
    MilterServerOptions options =
        MilterServerOptions.DEFAULT
            .withMaxConnections(startConfig.limits().maxConnections())
            .withMessageDeadline(Duration.ofSeconds(startConfig.limits().messageDeadlineSeconds()));
    if (startConfig.service().umask().isPresent()) {
      options = options.withUmask(startConfig.service().umask().getAsInt());
    }
    DkimPolicy first = policy.get();
    cluster.filter(c -> !c.settings().signer()).ifPresent(c -> c.warmUp(Duration.ofSeconds(30)));
    try {
      MilterServer server =
          new MilterServer(
              vertx,
              socket,
              DkimMilterHandler.wants(first),
              this::newHandler,
              allowedClients,
              options,
              meters.milter());
      MilterServer started = server.start().toCompletionStage().toCompletableFuture().join();
      meters
          .instruments()
          .probe(
              ReadinessProbe.of(
                  "milter",
                  () ->
                      started.listening()
                          ? Health.up("listening on " + socket.text())
                          : Health.down("not listening on " + socket.text())));
      startAdmin(vertx, started);
      startKeyHealth(startConfig, startKeys);
      if (dropTo.isPresent()) {
        dropPrivileges(started, dropTo.get());
      }
      return started;
    } catch (IllegalArgumentException e) {
      throw new ServeException(ServeCommand.EX_CONFIG, e.getMessage());
    } catch (CompletionException e) {
      throw new ServeException(
          1, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    }
  }

  /** The admin endpoint, when configured; a failure closes the milter listener. */
  private void startAdmin(Vertx vertx, MilterServer milter) throws ServeException {
    if (admin.isEmpty()) {
      return;
    }
    try {
      adminServer =
          new AdminServer(vertx, admin.get(), meters.sources(running::get))
              .start()
              .toCompletionStage()
              .toCompletableFuture()
              .join();
    } catch (CompletionException e) {
      if (milter != null) {
        milter.close(Duration.ZERO).toCompletionStage().toCompletableFuture().join();
      }
      throw new ServeException(
          1, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    }
  }

  /** The admin endpoint once {@link #listen} started it. */
  Optional<AdminServer> adminServer() {
    return Optional.ofNullable(adminServer);
  }

  /**
   * Closes the admin endpoint, the JVM meters and the running policy (its SQL/LDAP connections,
   * key-change listeners and query caches, flushing pending shared-cache writes); after the milter
   * listener closed.
   */
  void close() {
    if (adminServer != null) {
      try {
        // bounded: Vert.x may have closed it already
        adminServer.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("closing the admin endpoint: {}", e.toString());
      }
    }
    closed = true;
    stopKeyHealth();
    meters.close();
    policy.get().close();
    cluster.ifPresent(Cluster::close);
  }

  private MilterHandler newHandler() {
    return new DkimMilterHandler(policy::get);
  }

  /** Swaps in a new policy; a configuration that does not validate leaves the old one running. */
  void reload(LoadedConfig loaded) throws ServeException {
    Config config = loaded.config();
    if (!config.service().socket().equals(startConfig.service().socket())) {
      LOG.warn("Socket changed in the configuration; a restart is needed to move the listener");
    }
    if (!config.admin().equals(running.get().admin())) {
      LOG.warn("Admin* settings changed in the configuration; a restart is needed to apply them");
    }
    if (!config.cluster().equals(startConfig.cluster())) {
      LOG.warn("Cluster* settings changed in the configuration; a restart is needed to apply them");
    }
    DkimPolicy next = policy(config, crypto, meters, false, cluster);
    DkimPolicy old = policy.getAndSet(next);
    running.set(config);
    if (cluster.isPresent() && cluster.get().settings().signer()) {
      next.onKeyChange(cluster.get()::announceChange);
      cluster.get().announceChange();
    }
    startKeyHealth(config, keyHealthTargets(config));
    // Messages already started on the old policy finish within the deadline; then its SQL/LDAP
    // connections go.
    CompletableFuture.runAsync(
        old::close,
        CompletableFuture.delayedExecutor(
            startConfig.limits().messageDeadlineSeconds() + 5L, TimeUnit.SECONDS));
  }

  SocketSpec socket() {
    return socket;
  }

  void writePidFile() {
    startConfig
        .service()
        .pidFile()
        .ifPresent(
            p -> {
              try {
                Files.writeString(p, ProcessHandle.current().pid() + "\n");
              } catch (IOException e) {
                LOG.warn("cannot write PidFile {}: {}", p, e.toString());
              }
            });
  }

  void removePidFile() {
    startConfig.service().pidFile().ifPresent(ServeRuntime::deleteQuietly);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("cannot remove PidFile {}: {}", p, e.toString());
    }
  }

  /** Where outcomes are counted; the same (Prometheus) registry across reloads. */
  MeterRegistry meters() {
    return meters.registry();
  }

  /**
   * Builds the policy with its key-record lookup chain (the policy closes the chain when it is
   * closed). A check ({@code -n}) opens no shared cache: the running daemon may hold its JE lock.
   */
  private static DkimPolicy policy(
      Config config,
      CryptoExecutor crypto,
      DaemonMeters meters,
      boolean checkOnly,
      Optional<Cluster> cluster)
      throws ServeException {
    KeyRecordLookup lookup = null;
    try {
      if (checkOnly) {
        KeyRecordLookups.check(config.dns());
        lookup = KeyRecordLookups.withoutCaches(config.dns());
      } else {
        lookup = meters.queryCaches().track(KeyRecordLookups.from(config.dns(), meters.dns()));
      }
      DkimPolicy.Services services =
          new DkimPolicy.Services(lookup, crypto, meters.policy(), hostName(), null)
              .withLookups(LOOKUPS);
      ClusterSettings cs = config.cluster();
      if (cs.enabled() && !cs.signer()) {
        // A front-end never reads a private key: the signers choose keys and sign.
        services =
            cluster.isPresent()
                ? cluster.get().frontEnd(services)
                : services.withSigners(SenderKeys.none(), SignatureService.LOCAL);
      }
      return DkimPolicy.from(config, services);
    } catch (IOException | PolicyException e) {
      if (lookup instanceof AutoCloseable c) {
        closeQuietly(c);
      }
      throw new ServeException(ServeCommand.EX_CONFIG, e.getMessage());
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {}: {}", c, e.toString());
    }
  }

  private static Optional<Predicate<InetAddress>> allowedClients(Config config)
      throws ServeException {
    Optional<DataSetRef> ref = config.service().milterAllowedClients();
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    try {
      HostList list =
          HostList.of(DataSets.parse(ref.get().spec(), ref.get().file(), ref.get().line()));
      return Optional.of(list::matchesAddress);
    } catch (DataSetException e) {
      throw new ServeException(ServeCommand.EX_CONFIG, e.getMessage());
    }
  }

  /**
   * UserID (opendkim.conf(5)): started as root, the user (and group, by default the user's primary
   * group) to become once the socket is bound; not root, it must name the user Inkan runs as, since
   * only root can switch. Unknown users and groups stop start-up here, before anything is bound.
   */
  private static Optional<PrivilegeDrop.Account> checkUserId(Config config) throws ServeException {
    if (config.service().userId().isEmpty()) {
      return Optional.empty();
    }
    UserId wanted = config.service().userId().get();
    String spelled = wanted.user() + wanted.group().map(g -> ":" + g).orElse("");
    try {
      PrivilegeDrop.Account account = PrivilegeDrop.resolve(wanted.user(), wanted.group());
      int euid = PrivilegeDrop.effectiveUid();
      if (euid == 0) {
        return account.uid() == 0 ? Optional.empty() : Optional.of(account);
      }
      if (euid == account.uid()
          && (wanted.group().isEmpty() || PrivilegeDrop.effectiveGid() == account.gid())) {
        return Optional.empty();
      }
      throw new ServeException(
          ServeCommand.EX_CONFIG,
          "UserID "
              + spelled
              + ": only root can switch users, and Inkan runs as uid "
              + euid
              + "; start it as root or as "
              + spelled);
    } catch (PrivilegeDropException e) {
      throw new ServeException(ServeCommand.EX_CONFIG, "UserID " + spelled + ": " + e.getMessage());
    }
  }

  /** Becomes {@code to}; on failure the listener is closed and start-up fails (EX_OSERR). */
  private void dropPrivileges(MilterServer server, PrivilegeDrop.Account to) throws ServeException {
    try {
      if (socket instanceof SocketSpec.Local local) {
        PrivilegeDrop.chown(local.path(), to);
      }
      PrivilegeDrop.drop(to);
      LOG.info("running as {} (UserID)", to);
    } catch (PrivilegeDropException e) {
      if (server != null) {
        server.close(Duration.ZERO).toCompletionStage().toCompletableFuture().join();
      }
      throw new ServeException(EX_OSERR, "UserID: cannot become " + to + ": " + e.getMessage());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
