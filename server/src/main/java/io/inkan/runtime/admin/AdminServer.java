package io.inkan.runtime.admin;

import io.inkan.config.Config;
import io.inkan.dkim.crypto.CryptoProviders;
import io.inkan.telemetry.Instruments;
import io.inkan.telemetry.TopDomainMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint (Vert.x Web, on the milter's Vert.x):
 *
 * <ul>
 *   <li>{@code /metrics}: every meter in Prometheus text format;
 *   <li>{@code /health/live}: 200 while the process serves (never needs the token);
 *   <li>{@code /health/ready}: 200 when every {@link io.inkan.telemetry.ReadinessProbe} is up, else
 *       503, each probe reported;
 *   <li>{@code /api/status}: version, uptime, configuration without secrets, crypto provider,
 *       counters, health;
 *   <li>{@code /api/stats}: the dashboard's series (rates by result, latency percentiles, cache hit
 *       rates, health, top domains);
 *   <li>{@code /}: the dashboard, a static page polling {@code /api/stats}.
 * </ul>
 *
 * With a token, every path but {@code /health/live} needs it ({@link BearerAuth}); with TLS files,
 * HTTPS only.
 */
public final class AdminServer {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON = "application/json";
  private static final int SAMPLES_PER_PROBE_ROUND = 5;

  /** The version from the jar manifest; {@code dev} when run from classes. */
  static final String VERSION =
      Objects.requireNonNullElse(AdminServer.class.getPackage().getImplementationVersion(), "dev");

  /**
   * What the endpoint shows.
   *
   * @param registry the daemon's registry, scraped for {@code /metrics}
   * @param instruments where readiness probes are registered
   * @param config the configuration running now (it changes on reload)
   * @param domains the signing and verifying domain ranking, when counted
   */
  public record Sources(
      PrometheusMeterRegistry registry,
      Instruments instruments,
      Supplier<Config> config,
      Optional<TopDomainMeters> domains) {}

  private final Vertx vertx;
  private final AdminOptions options;
  private final Sources sources;
  private final Readiness readiness;
  private final StatsHistory history;
  private HttpServer server;
  private long timer = -1;
  private int samples;

  public AdminServer(Vertx vertx, AdminOptions options, Sources sources) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.sources = Objects.requireNonNull(sources, "sources");
    this.readiness = new Readiness(vertx, sources.instruments());
    this.history = new StatsHistory(sources.registry(), sources.domains());
  }

  /** Binds; fails with the bind or TLS error. */
  public Future<AdminServer> start() {
    HttpServerOptions o = new HttpServerOptions().setHost(options.host()).setPort(options.port());
    if (options.tlsCertificate().isPresent() && options.tlsKey().isPresent()) {
      o.setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(options.tlsCertificate().get().toString())
                  .setKeyPath(options.tlsKey().get().toString()));
    }
    Router router;
    try {
      router = router();
    } catch (UncheckedIOException e) {
      return Future.failedFuture(e.getCause());
    }
    history.sample();
    timer = vertx.setPeriodic(StatsHistory.INTERVAL_MS, id -> tick());
    server = vertx.createHttpServer(o).requestHandler(router);
    return server
        .listen()
        .recover(
            e -> {
              vertx.cancelTimer(timer);
              return Future.failedFuture(
                  new IOException(
                      "AdminListen " + where() + ": cannot listen: " + e.getMessage(), e));
            })
        .map(
            s -> {
              readiness.check();
              LOG.info(
                  "admin endpoint on {}://{}:{}/{}",
                  o.isSsl() ? "https" : "http",
                  options.host(),
                  s.actualPort(),
                  options.token().isPresent() ? " (token required)" : "");
              return this;
            });
  }

  /** The bound port (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Stops listening and sampling. */
  public Future<Void> close() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  private String where() {
    return options.host() + ":" + options.port();
  }

  private void tick() {
    history.sample();
    if (samples++ % SAMPLES_PER_PROBE_ROUND == 0) {
      readiness.check();
    }
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    if (options.token().isPresent()) {
      BearerAuth auth =
          new BearerAuth(
              options.token().get(), options.tlsKey().isPresent(), resource("login.html"));
      router
          .post("/login")
          .handler(BodyHandler.create(false).setBodyLimit(4096))
          .handler(auth::login);
      router.route().handler(auth);
    }
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(this::metrics);
    router.get("/api/status").handler(this::status);
    router.get("/api/stats").handler(this::stats);
    staticFile(router, "/", "dashboard.html", "text/html; charset=utf-8");
    staticFile(router, "/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8");
    staticFile(router, "/dashboard.css", "dashboard.css", "text/css; charset=utf-8");
    return router;
  }

  private void ready(RoutingContext ctx) {
    readiness
        .check()
        .onSuccess(
            checks -> {
              boolean up = Readiness.allUp(checks);
              json(
                  ctx,
                  up ? 200 : 503,
                  new JsonObject()
                      .put("status", up ? "UP" : "DOWN")
                      .put("checks", Readiness.json(checks)));
            })
        .onFailure(ctx::fail);
  }

  private void metrics(RoutingContext ctx) {
    vertx
        .executeBlocking(() -> sources.registry().scrape())
        .onSuccess(
            text ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(text))
        .onFailure(ctx::fail);
  }

  private void status(RoutingContext ctx) {
    readiness.check().onSuccess(checks -> json(ctx, 200, status(checks))).onFailure(ctx::fail);
  }

  private JsonObject status(List<Readiness.Check> checks) {
    long started = ManagementFactory.getRuntimeMXBean().getStartTime();
    JsonObject counters = new JsonObject();
    StatsHistory.messagesByResult(sources.registry()).forEach(counters::put);
    return new JsonObject()
        .put("version", VERSION)
        .put("startedAt", Instant.ofEpochMilli(started).toString())
        .put("uptimeSeconds", (System.currentTimeMillis() - started) / 1000)
        .put("pid", ProcessHandle.current().pid())
        .put("java", Runtime.version().toString())
        .put("crypto", CryptoProviders.get().describe())
        .put(
            "admin",
            new JsonObject()
                .put("listen", options.host() + ":" + server.actualPort())
                .put("tls", options.tlsKey().isPresent())
                .put("token", options.token().isPresent()))
        .put("config", ConfigSummary.of(sources.config().get()))
        .put(
            "counters",
            new JsonObject()
                .put("messages", counters.stream().mapToDouble(e -> (Double) e.getValue()).sum())
                .put("byResult", counters)
                .put("activeConnections", activeConnections())
                .put(
                    "protocolErrors",
                    StatsHistory.sum(sources.registry(), MicrometerMilterMetrics.PROTOCOL_ERRORS)))
        .put(
            "health",
            new JsonObject()
                .put("ready", Readiness.allUp(checks))
                .put("checks", Readiness.json(checks)));
  }

  private void stats(RoutingContext ctx) {
    List<Readiness.Check> checks = readiness.lastKnown();
    long started = ManagementFactory.getRuntimeMXBean().getStartTime();
    JsonObject json =
        history
            .json()
            .put("now", System.currentTimeMillis())
            .put("version", VERSION)
            .put("uptimeSeconds", (System.currentTimeMillis() - started) / 1000)
            .put(
                "connections",
                new JsonObject()
                    .put("active", activeConnections())
                    .put(
                        "protocolErrors",
                        StatsHistory.sum(
                            sources.registry(), MicrometerMilterMetrics.PROTOCOL_ERRORS)))
            .put(
                "health",
                new JsonObject()
                    .put("ready", Readiness.allUp(checks))
                    .put("checks", Readiness.json(checks)));
    json(ctx, 200, json);
  }

  private double activeConnections() {
    var g = sources.registry().find(MicrometerMilterMetrics.ACTIVE).gauge();
    return g == null ? 0 : g.value();
  }

  private void staticFile(Router router, String path, String name, String type) {
    Buffer body = resource(name);
    router
        .get(path)
        .handler(
            ctx ->
                secureHeaders(ctx.response())
                    .putHeader(HttpHeaders.CONTENT_TYPE, type)
                    .end(body.copy()));
  }

  private static Buffer resource(String name) {
    try (InputStream in = AdminServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("missing resource " + name));
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }

  /** Headers every page gets: no framing, no sniffing, nothing but this origin's own files. */
  static HttpServerResponse secureHeaders(HttpServerResponse r) {
    return r.putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
  }
}
