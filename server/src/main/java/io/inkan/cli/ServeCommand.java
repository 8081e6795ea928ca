package io.inkan.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
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
import java.util.ArrayList;
import java.util.List;
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

  /** The stderr appender's name in logback.xml. */
  private static final String STDERR_APPENDER = "STDERR";

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
          installLogging(loaded.config().log());
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
   * ident {@code inkan}), as OpenDKIM's do, in text; start-up errors still go to stderr. Otherwise,
   * with {@code LogFormat json}, each stderr line becomes one JSON object (Logback's {@link
   * JsonEncoder}: {@code timestamp} in epoch milliseconds, {@code level}, {@code threadName},
   * {@code loggerName}, {@code formattedMessage}, {@code throwable}).
   */
  static void installLogging(LogSettings log) {
    if (log.syslog()) {
      if (LibcSyslogAppender.installOnRoot(log.facility())) {
        return;
      }
      System.err.println("inkan serve: cannot log to syslog; logging to stderr");
    }
    if (log.format() == LogSettings.Format.JSON && !jsonOnStderr()) {
      System.err.println(
          "inkan serve: LogFormat json: no console appender to replace; logging unchanged");
    }
  }

  /**
   * Replaces the root logger's console appenders (logback.xml's {@code STDERR}) by one writing JSON
   * lines to stderr; false, changing nothing, when there is none (logging configured elsewhere).
   */
  private static boolean jsonOnStderr() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return false;
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    List<Appender<ILoggingEvent>> text = new ArrayList<>();
    root.iteratorForAppenders()
        .forEachRemaining(
            a -> {
              if (a instanceof ConsoleAppender) {
                text.add(a);
              }
            });
    if (text.isEmpty()) {
      return false;
    }
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false); // the template with {} placeholders
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
    json.setContext(context);
    json.setName(STDERR_APPENDER);
    json.setTarget("System.err");
    json.setEncoder(encoder);
    json.start();
    if (!json.isStarted()) {
      return false;
    }
    root.addAppender(json);
    for (Appender<ILoggingEvent> a : text) {
      root.detachAppender(a);
      a.stop();
    }
    return true;
  }

  private int serve(ServeRuntime runtime, Path file) throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    for (String name : new String[] {"USR1", "HUP"}) {
      Signal.handle(new Signal(name), s -> reloadInBackground(runtime, file, name));
    }
    runtime.writePidFile(); // before listen: with UserID the process may no longer write there
    Vertx vertx = runtime.clusterVertx().orElseGet(Vertx::vertx);
    MilterServer server = null;
    try {
      runtime.serveSigner();
      if (runtime.servesMilter()) {
        server = runtime.listen(vertx);
      } else {
        runtime.standBy(vertx);
      }
    } catch (ServeException | IllegalStateException e) {
      System.err.println("inkan serve: " + e.getMessage());
      runtime.close();
      vertx.close();
      runtime.removePidFile();
      return e instanceof ServeException se ? se.exitCode() : 1;
    }
    LOG.info(
        "inkan serving {} (crypto: {})",
        runtime.servesMilter() ? "on " + runtime.socket().text() : "as a signer",
        CryptoProviders.get().describe());
    stop.await();
    LOG.info("inkan stopping: finishing in-flight messages (up to {} s)", graceSeconds);
    if (server != null) {
      server.close(Duration.ofSeconds(graceSeconds)).await();
    }
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
