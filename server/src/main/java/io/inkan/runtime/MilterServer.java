package io.inkan.runtime;

import io.inkan.config.SocketSpec;
import io.inkan.milter.MilterHandler;
import io.inkan.milter.MilterSession;
import io.inkan.milter.Negotiation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The milter listener: a Vert.x {@link NetServer} on an opendkim.conf {@code Socket} ({@code
 * inet:}, {@code inet6:}, {@code local:}/{@code unix:}), TCP_NODELAY on, one {@link MilterSession}
 * and one handler per connection.
 *
 * <p>Handlers are called on the event loop. {@link MilterHandler#onEndOfMessage} must not sign or
 * verify there: it returns a stage completed by work on a {@link CryptoExecutor}.
 *
 * <p>Who may connect: on loopback or a unix socket, any local MTA; on any other address only peers
 * accepted by the allowlist (configuration key {@code MilterAllowedClients}), without which the
 * server refuses to be built, since signing trusts the MTA's macros. Connections beyond {@link
 * MilterServerOptions#maxConnections()} are closed at once.
 */
public final class MilterServer {
  private static final Logger LOG = LoggerFactory.getLogger(MilterServer.class);

  private final Vertx vertx;
  private final SocketSpec spec;
  private final Negotiation.Wants wants;
  private final Supplier<? extends MilterHandler> handlers;
  private final Optional<Predicate<InetAddress>> allowedClients;
  private final MilterServerOptions options;
  private final MilterMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<MilterConnection> connections = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private volatile boolean stopping;
  private volatile boolean listening;

  /**
   * @param handlers makes one handler per connection
   * @param allowedClients MTA addresses allowed to connect over inet; required unless {@code spec}
   *     is loopback or a unix socket
   * @throws IllegalArgumentException when bound to a non-loopback address without an allowlist
   */
  public MilterServer(
      Vertx vertx,
      SocketSpec spec,
      Negotiation.Wants wants,
      Supplier<? extends MilterHandler> handlers,
      Optional<Predicate<InetAddress>> allowedClients,
      MilterServerOptions options) {
    this(vertx, spec, wants, handlers, allowedClients, options, MilterMetrics.NONE);
  }

  /** The same, reporting connections, commands and protocol errors to {@code metrics}. */
  public MilterServer(
      Vertx vertx,
      SocketSpec spec,
      Negotiation.Wants wants,
      Supplier<? extends MilterHandler> handlers,
      Optional<Predicate<InetAddress>> allowedClients,
      MilterServerOptions options,
      MilterMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.wants = Objects.requireNonNull(wants, "wants");
    this.handlers = Objects.requireNonNull(handlers, "handlers");
    this.allowedClients = Objects.requireNonNull(allowedClients, "allowedClients");
    this.options = Objects.requireNonNull(options, "options");
    if (spec instanceof SocketSpec.Inet inet && !inet.isLoopback() && allowedClients.isEmpty()) {
      throw new IllegalArgumentException(
          "milter socket "
              + spec.text()
              + " is not a loopback address: set MilterAllowedClients to the MTA addresses"
              + " allowed to connect (an open milter port would sign mail for anyone)");
    }
  }

  /** Binds and starts accepting; fails with the bind error (address in use, bad path...). */
  public Future<MilterServer> start() {
    SocketAddress address;
    try {
      address = bindAddress();
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(
          new IOException("cannot listen on " + spec.text() + ": " + e.getMessage(), e));
    }
    NetServerOptions o = new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true);
    server = vertx.createNetServer(o).connectHandler(this::accept);
    return server
        .listen(address)
        .recover(
            e ->
                Future.failedFuture(
                    new IOException("cannot listen on " + spec.text() + ": " + e, e)))
        .compose(
            s -> {
              try {
                setSocketPermissions();
              } catch (IOException e) {
                server.close();
                return Future.failedFuture(e);
              }
              LOG.info("milter listening on {}", spec.text());
              listening = !stopping;
              return Future.succeededFuture(this);
            });
  }

  /** The bound TCP port (useful with port 0), or -1 for a unix socket. */
  public int actualPort() {
    return spec instanceof SocketSpec.Inet ? server.actualPort() : -1;
  }

  /** Whether the socket is bound and accepting: started, and no stop begun. */
  public boolean listening() {
    return listening;
  }

  /** The socket in opendkim.conf syntax. */
  public SocketSpec socket() {
    return spec;
  }

  /** Connections being served now. */
  public int openConnections() {
    return open.get();
  }

  /**
   * Graceful stop: stops accepting at once, closes idle connections, lets connections with a
   * message in flight finish it (its end-of-message answer is written) up to {@code grace}, then
   * closes whatever is left; a unix socket file is removed.
   */
  public Future<Void> close(Duration grace) {
    stopping = true;
    listening = false;
    if (server == null) {
      return Future.succeededFuture();
    }
    return server
        .shutdown(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS)
        .eventually(
            () -> {
              List<Future<Void>> left = connections.stream().map(c -> c.forceClose()).toList();
              return Future.join(left);
            })
        .eventually(
            () -> {
              if (spec instanceof SocketSpec.Local local) {
                try {
                  Files.deleteIfExists(local.path());
                } catch (IOException e) {
                  LOG.warn("cannot remove milter socket {}: {}", local.path(), e.toString());
                }
              }
              LOG.info("milter listener on {} stopped", spec.text());
              return Future.succeededFuture();
            });
  }

  private void accept(NetSocket socket) {
    String peer = peer(socket);
    if (stopping) {
      socket.close();
      return;
    }
    if (!allowed(socket)) {
      LOG.warn("milter connection from {} refused: not in MilterAllowedClients", peer);
      metrics.connectionRefused("notallowed");
      socket.close();
      return;
    }
    if (open.incrementAndGet() > options.maxConnections()) {
      open.decrementAndGet();
      LOG.warn(
          "milter connection from {} refused: {} connections already open",
          peer,
          options.maxConnections());
      metrics.connectionRefused("limit");
      socket.close();
      return;
    }
    MilterConnection c;
    try {
      MilterHandler handler = handlers.get();
      c =
          new MilterConnection(
              vertx,
              socket,
              peer,
              new MilterSession(handler, wants, options.session()),
              options,
              metrics);
    } catch (RuntimeException e) {
      open.decrementAndGet();
      LOG.error("milter connection from {} refused: cannot create its handler", peer, e);
      socket.close();
      return;
    }
    connections.add(c);
    metrics.connectionOpened();
    c.closed()
        .onComplete(
            v -> {
              connections.remove(c);
              open.decrementAndGet();
              metrics.connectionClosed();
            });
    c.start();
  }

  private boolean allowed(NetSocket socket) {
    if (!(spec instanceof SocketSpec.Inet) || allowedClients.isEmpty()) {
      return true;
    }
    SocketAddress remote = socket.remoteAddress();
    if (remote == null || remote.hostAddress() == null) {
      return false;
    }
    try {
      // An address literal: no name lookup happens here.
      return allowedClients.get().test(InetAddress.getByName(remote.hostAddress()));
    } catch (IOException e) {
      return false;
    }
  }

  private SocketAddress bindAddress() throws IOException {
    if (spec instanceof SocketSpec.Inet inet) {
      String host = inet.host().orElse(inet.ipv6() ? "::" : "0.0.0.0");
      return SocketAddress.inetSocketAddress(inet.port(), host);
    }
    Path path = ((SocketSpec.Local) spec).path();
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
          || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
          || Files.isSymbolicLink(path)) {
        throw new IOException(path + " exists and is not a socket");
      }
      Files.delete(path); // a socket file left by an earlier run
    }
    return SocketAddress.domainSocketAddress(path.toString());
  }

  private void setSocketPermissions() throws IOException {
    if (spec instanceof SocketSpec.Local local && options.socketPermissions().isPresent()) {
      Files.setPosixFilePermissions(local.path(), options.socketPermissions().get());
    }
  }

  private static String peer(NetSocket socket) {
    SocketAddress a = socket.remoteAddress();
    if (a == null) {
      return "unknown";
    }
    return a.isDomainSocket() ? "unix:" + a.path() : a.hostAddress() + ":" + a.port();
  }
}
