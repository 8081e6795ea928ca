package io.inkan.cli;

import io.inkan.config.Config;
import io.inkan.config.DataSetRef;
import io.inkan.config.LoadedConfig;
import io.inkan.config.SocketSpec;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSets;
import io.inkan.dataset.HostList;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dns.KeyRecordLookups;
import io.inkan.milter.MilterHandler;
import io.inkan.policy.DkimMilterHandler;
import io.inkan.policy.DkimPolicy;
import io.inkan.policy.MicrometerPolicyMetrics;
import io.inkan.policy.PolicyException;
import io.inkan.runtime.CryptoExecutor;
import io.inkan.runtime.MilterServer;
import io.inkan.runtime.MilterServerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionException;
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

  private final CryptoExecutor crypto;
  private final Config startConfig;
  private final SocketSpec socket;
  private final Optional<Predicate<InetAddress>> allowedClients;
  private final AtomicReference<DkimPolicy> policy;
  private final MeterRegistry meters;

  private ServeRuntime(
      CryptoExecutor crypto,
      Config config,
      SocketSpec socket,
      Optional<Predicate<InetAddress>> allowedClients,
      DkimPolicy policy,
      MeterRegistry meters) {
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
    SocketSpec socket =
        config
            .service()
            .socket()
            .orElseThrow(
                () ->
                    new ServeException(
                        ServeCommand.EX_CONFIG,
                        "Socket: required (e.g. inet:8891@127.0.0.1 or local:/run/inkan/inkan.sock)"));
    checkUserId(config);
    Optional<Predicate<InetAddress>> allowed = allowedClients(config);
    if (socket instanceof SocketSpec.Inet inet && !inet.isLoopback() && allowed.isEmpty()) {
      throw new ServeException(
          ServeCommand.EX_CONFIG,
          "Socket "
              + socket
              + " is not loopback: list the MTA addresses allowed to connect in"
              + " MilterAllowedClients (signing trusts the MTA, so an open milter port would"
              + " sign anything for anyone)");
    }
    MeterRegistry meters = new SimpleMeterRegistry();
    return new ServeRuntime(
        crypto, config, socket, allowed, policy(config, crypto, meters), meters);
  }

  /** Opens the socket. */
  MilterServer listen(Vertx vertx) throws ServeException {
    MilterServerOptions options = MilterServerOptions.DEFAULT;
    if (startConfig.service().umask().isPresent()) {
      options = options.withUmask(startConfig.service().umask().getAsInt());
    }
    DkimPolicy first = policy.get();
    try {
      MilterServer server =
          new MilterServer(
              vertx,
              socket,
              DkimMilterHandler.wants(first),
              this::newHandler,
              allowedClients,
              options);
      return server.start().toCompletionStage().toCompletableFuture().join();
    } catch (IllegalArgumentException e) {
      throw new ServeException(ServeCommand.EX_CONFIG, e.getMessage());
    } catch (CompletionException e) {
      throw new ServeException(
          1, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    }
  }

  private MilterHandler newHandler() {
    return new DkimMilterHandler(policy.get());
  }

  /** Swaps in a new policy; a configuration that does not validate leaves the old one running. */
  void reload(LoadedConfig loaded) throws ServeException {
    Config config = loaded.config();
    if (!config.service().socket().equals(startConfig.service().socket())) {
      LOG.warn("Socket changed in the configuration; a restart is needed to move the listener");
    }
    policy.set(policy(config, crypto, meters));
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

  /** Where outcomes are counted; the same registry across reloads. */
  MeterRegistry meters() {
    return meters;
  }

  private static DkimPolicy policy(Config config, CryptoExecutor crypto, MeterRegistry meters)
      throws ServeException {
    try {
      KeyRecordLookup lookup = KeyRecordLookups.from(config.dns());
      return DkimPolicy.from(
          config,
          new DkimPolicy.Services(
              lookup, crypto, new MicrometerPolicyMetrics(meters), hostName(), null));
    } catch (IOException | PolicyException e) {
      throw new ServeException(ServeCommand.EX_CONFIG, e.getMessage());
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
   * Dropping privileges needs libc calls the JVM lacks; until that lands, UserID must name the user
   * Inkan already runs as (start it as that user, e.g. systemd's User=).
   */
  private static void checkUserId(Config config) throws ServeException {
    if (config.service().userId().isEmpty()) {
      return;
    }
    String wanted = config.service().userId().get().user();
    String running = System.getProperty("user.name");
    if (!wanted.equals(running)) {
      throw new ServeException(
          ServeCommand.EX_CONFIG,
          "UserID "
              + wanted
              + ": Inkan cannot switch users yet; start it as "
              + wanted
              + " (it runs as "
              + running
              + ")");
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
