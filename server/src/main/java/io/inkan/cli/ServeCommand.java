package io.inkan.cli;

import io.inkan.config.ConfigException;
import io.inkan.config.ConfigLoader;
import io.inkan.config.LoadedConfig;
import io.inkan.config.LogSettings;
import io.inkan.dkim.crypto.CryptoProviders;
import io.inkan.runtime.CryptoExecutor;
import io.inkan.runtime.LibcSyslogAppender;
import io.inkan.runtime.MilterServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code inkan serve}: the milter daemon. Reads an opendkim.conf-format file, serves until SIGTERM
 * (graceful: in-flight messages finish), reloads on SIGUSR1 or SIGHUP.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the DKIM milter. With -x FILE it reads an opendkim.conf-format configuration;",
      "without -x it reads /etc/inkan/inkan.conf, or with --domain it signs for one domain",
      "on " + EmbeddedDefaults.SOCKET + " with a key it makes on first start.",
      "Exit status: 0 after a clean stop (or -n with a valid configuration), 78 on a",
      "configuration error, 1 when the socket cannot be opened."
    })
final class ServeCommand implements Callable<Integer> {
  static final int EX_CONFIG = 78;
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
  private static final Path DEFAULT_CONFIG = Path.of("/etc/inkan/inkan.conf");

  @Option(names = "-x", paramLabel = "FILE", description = "Configuration file.")
  Path configFile;

  @Option(names = "-n", description = "Check the configuration and exit (0 valid, 78 not).")
  boolean checkOnly;

  @Option(names = "--domain", paramLabel = "DOMAIN", description = "Sign for DOMAIN, no file.")
  String domain;

  @Option(
      names = "--selector",
      paramLabel = "SELECTOR",
      defaultValue = "default",
      description = "Selector with --domain (default: ${DEFAULT-VALUE}).")
  String selector;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where --domain keeps its key (default: /var/lib/inkan as root,"
              + " else $XDG_STATE_HOME/inkan or ~/.local/state/inkan).")
  Path stateDir;

  @Option(
      names = "--grace",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description = "How long a stop waits for in-flight messages (default: ${DEFAULT-VALUE}).")
  int graceSeconds;

  @Override
  public Integer call() throws Exception {
    // Choosing and self-testing the crypto providers takes about a second: do it while the
    // configuration and its tables load, not when the first message arrives.
    Thread warmUp = new Thread(CryptoProviders::get, "inkan-crypto-init");
    warmUp.setDaemon(true);
    warmUp.start();
    if (System.getenv("INKAN_LOG_LEVEL") == null) {
      // a daemon reports what it does; the one-shot commands stay quiet (logback.xml: WARN)
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
          .setLevel(ch.qos.logback.classic.Level.INFO);
    }
    Path file;
    try {
      file = configFile();
    } catch (IllegalArgumentException e) {
      System.err.println("inkan serve: " + e.getMessage());
      return EX_CONFIG;
    }
    ServeRuntime runtime;
    try (CryptoExecutor crypto = new CryptoExecutor()) {
      try {
        LoadedConfig loaded = load(file);
        if (!checkOnly) {
          installSyslog(loaded.config().log());
        }
        runtime = ServeRuntime.start(loaded, crypto, checkOnly);
      } catch (ServeException e) {
        System.err.println("inkan serve: " + e.getMessage());
        return e.exitCode();
      }
      if (checkOnly) {
        runtime.close();
        System.out.println("inkan serve: configuration " + file + " is valid");
        return 0;
      }
      return serve(runtime, file);
    }
  }

  private Path configFile() throws Exception {
    if (domain != null) {
      if (configFile != null) {
        throw new IllegalArgumentException("--domain and -x exclude each other");
      }
      Path dir = stateDir != null ? stateDir : EmbeddedDefaults.defaultStateDir();
      return EmbeddedDefaults.prepare(domain, selector, dir, System.out);
    }
    if (configFile != null) {
      return configFile;
    }
    if (Files.exists(DEFAULT_CONFIG)) {
      return DEFAULT_CONFIG;
    }
    throw new IllegalArgumentException(
        "no configuration: give -x FILE, create " + DEFAULT_CONFIG + ", or use --domain DOMAIN");
  }

  static LoadedConfig load(Path file) throws ServeException {
    try {
      LoadedConfig loaded = ConfigLoader.load(file);
      loaded.warnings().forEach(w -> LOG.warn("{}", w));
      return loaded;
    } catch (ConfigException e) {
      throw new ServeException(EX_CONFIG, e.getMessage());
    }
  }

  /**
   * {@code Syslog yes}: from here on log lines go only to syslog (facility {@code SyslogFacility},
   * ident {@code inkan}), as OpenDKIM's do; start-up errors still go to stderr.
   */
  private static void installSyslog(LogSettings log) {
    if (log.syslog() && !LibcSyslogAppender.installOnRoot(log.facility())) {
      System.err.println("inkan serve: cannot log to syslog; logging to stderr");
    }
  }

  private int serve(ServeRuntime runtime, Path file) throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    for (String name : new String[] {"USR1", "HUP"}) {
      Signal.handle(new Signal(name), s -> reloadInBackground(runtime, file, name));
    }
    runtime.writePidFile(); // before listen: with UserID the process may no longer write there
    Vertx vertx = Vertx.vertx();
    MilterServer server;
    try {
      server = runtime.listen(vertx);
    } catch (ServeException e) {
      System.err.println("inkan serve: " + e.getMessage());
      runtime.close();
      vertx.close();
      runtime.removePidFile();
      return e.exitCode();
    }
    LOG.info(
        "inkan serving on {} (crypto: {})",
        runtime.socket().text(),
        CryptoProviders.get().describe());
    stop.await();
    LOG.info("inkan stopping: finishing in-flight messages (up to {} s)", graceSeconds);
    server.close(Duration.ofSeconds(graceSeconds)).await();
    runtime.close();
    vertx.close().await();
    runtime.removePidFile();
    LOG.info("inkan stopped");
    return 0;
  }

  private static void reloadInBackground(ServeRuntime runtime, Path file, String signal) {
    Thread t =
        new Thread(
            () -> {
              try {
                runtime.reload(load(file));
                LOG.info("configuration {} reloaded (SIG{})", file, signal);
              } catch (ServeException e) {
                LOG.error("reload failed; keeping the running configuration: {}", e.getMessage());
              }
            },
            "inkan-reload");
    t.setDaemon(true);
    t.start();
  }
}
