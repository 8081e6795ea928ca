package io.inkan.cli;

import io.inkan.runtime.CryptoExecutor;
import io.inkan.runtime.MilterServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An Inkan milter started in-process from an opendkim.conf-format file, the way {@code inkan serve
 * -x FILE} starts it, for tests outside this package (the interop tests).
 */
public final class InkanTestServer implements AutoCloseable {
  private final Vertx vertx;
  private final CryptoExecutor crypto;
  private final MilterServer server;
  private final ServeRuntime runtime;
  private boolean listening = true;

  private InkanTestServer(
      Vertx vertx, CryptoExecutor crypto, MilterServer server, ServeRuntime runtime) {
    this.vertx = vertx;
    this.crypto = crypto;
    this.server = server;
    this.runtime = runtime;
  }

  /** Loads {@code conf} and listens on its {@code Socket}; fails with the configuration error. */
  public static InkanTestServer start(Path conf) throws Exception {
    try {
      return launch(conf);
    } catch (ServeException e) {
      throw new IllegalStateException(
          "Inkan did not start from " + conf + ": " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #start}, failing with the {@link ServeException} {@code inkan serve} would report.
   */
  static InkanTestServer launch(Path conf) throws ServeException {
    Vertx vertx = Vertx.vertx();
    CryptoExecutor crypto = new CryptoExecutor();
    try {
      ServeRuntime runtime = ServeRuntime.start(ServeCommand.load(conf), crypto, false);
      MilterServer server = runtime.listen(vertx);
      return new InkanTestServer(vertx, crypto, server, runtime);
    } catch (ServeException | RuntimeException e) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      crypto.close();
      throw e;
    }
  }

  /** The running daemon (reload, admin endpoint). */
  ServeRuntime runtime() {
    return runtime;
  }

  /** The port the admin endpoint ({@code AdminListen}) listens on. */
  int adminPort() {
    return runtime.adminServer().orElseThrow().actualPort();
  }

  /** Stops the milter listener only, as a failing listener would. */
  void closeListener() {
    server.close(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().join();
    listening = false;
  }

  @Override
  public void close() {
    if (listening) {
      server.close(Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture().join();
    }
    runtime.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    crypto.close();
  }
}
