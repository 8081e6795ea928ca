package io.inkan.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.config.Config;
import io.inkan.telemetry.Health;
import io.inkan.telemetry.Instruments;
import io.inkan.telemetry.ReadinessProbe;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin endpoint on its own: routes, token, TLS, readiness probes. */
class AdminServerTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  private Vertx vertx;
  private PrometheusMeterRegistry registry;
  private Instruments instruments;
  private AdminServer server;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    instruments = new Instruments(registry);
    new MicrometerMilterMetrics(registry);
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close().await();
    }
    vertx.close().await();
  }

  private int start(AdminOptions options) {
    server =
        new AdminServer(
            vertx,
            options,
            new AdminServer.Sources(registry, instruments, Config::defaults, Optional.empty()));
    return server.start().await().actualPort();
  }

  private static AdminOptions open() {
    return new AdminOptions("127.0.0.1", 0, Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void servesEveryRouteWithoutATokenWhenNoneIsSet() throws Exception {
    AdminHttp http = AdminHttp.http(start(open()));
    assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = http.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
    assertThat(metrics.body()).contains("inkan_milter_connections_active");
    assertThat(http.get("/").body()).contains("<script src=\"/dashboard.js\"></script>");
    assertThat(http.get("/").headers().firstValue("content-security-policy").orElseThrow())
        .contains("default-src 'self'");
    assertThat(http.get("/dashboard.js").body()).contains("pollStats");
    assertThat(http.get("/dashboard.css").statusCode()).isEqualTo(200);
    JsonObject stats = new JsonObject(http.get("/api/stats").body());
    assertThat(stats.getJsonArray("series")).isNotNull();
    assertThat(stats.getJsonObject("health").getBoolean("ready")).isTrue();
    JsonObject status = new JsonObject(http.get("/api/status").body());
    assertThat(status.getString("crypto")).isNotBlank();
    assertThat(status.getJsonObject("config").getString("mode")).isEqualTo("sv");
    assertThat(http.get("/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void tokenGuardsEverythingButLiveness() throws Exception {
    AdminOptions o =
        new AdminOptions("127.0.0.1", 0, Optional.of(TOKEN), Optional.empty(), Optional.empty());
    AdminHttp http = AdminHttp.http(start(o));
    assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
    for (String path :
        new String[] {"/metrics", "/health/ready", "/api/status", "/api/stats", "/"}) {
      HttpResponse<String> r = http.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.headers().firstValue("www-authenticate")).contains("Bearer realm=\"inkan\"");
      assertThat(http.get(path, "Authorization", "Bearer wrong" + TOKEN).statusCode())
          .as(path)
          .isEqualTo(401);
      assertThat(http.get(path, "Authorization", "Bearer " + TOKEN).statusCode())
          .as(path)
          .isEqualTo(200);
    }
    assertThat(http.get("/", "Accept", "text/html").body()).contains("action=\"/login\"");
  }

  @Test
  void browserSignsInOnceAndGetsACookieThatIsNotTheToken() throws Exception {
    AdminOptions o =
        new AdminOptions("127.0.0.1", 0, Optional.of(TOKEN), Optional.empty(), Optional.empty());
    AdminHttp http = AdminHttp.http(start(o));
    HttpResponse<String> wrong = http.send(login(http, "not-the-token"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> ok = http.send(login(http, TOKEN));
    assertThat(ok.statusCode()).isEqualTo(303);
    String cookie = ok.headers().firstValue("set-cookie").orElseThrow();
    assertThat(cookie)
        .startsWith(BearerAuth.COOKIE + "=")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .doesNotContain(TOKEN);
    String pair = cookie.substring(0, cookie.indexOf(';'));
    assertThat(http.get("/api/stats", "Cookie", pair).statusCode()).isEqualTo(200);
    assertThat(http.get("/api/stats", "Cookie", BearerAuth.COOKIE + "=" + TOKEN).statusCode())
        .isEqualTo(401);
  }

  private static HttpRequest login(AdminHttp http, String token) {
    return HttpRequest.newBuilder(URI.create(http.base() + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + token))
        .build();
  }

  @Test
  void speaksOnlyHttpsWithTlsFiles() throws Exception {
    AdminHttp.SelfSigned cert = AdminHttp.SelfSigned.write(dir);
    AdminOptions o =
        new AdminOptions(
            "127.0.0.1",
            0,
            Optional.of(TOKEN),
            Optional.of(cert.certFile()),
            Optional.of(cert.keyFile()));
    int port = start(o);
    AdminHttp https = AdminHttp.https(port, cert.certificate());
    assertThat(https.get("/health/live").statusCode()).isEqualTo(200);
    assertThat(https.get("/metrics").statusCode()).isEqualTo(401);
    assertThat(https.get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
    HttpResponse<String> ok =
        https.send(
            HttpRequest.newBuilder(URI.create(https.base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN))
                .build());
    assertThat(ok.headers().firstValue("set-cookie").orElseThrow()).contains("Secure");
    assertThatThrownBy(() -> AdminHttp.http(port).get("/health/live"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void readinessReportsEachProbeAndTimesOutSilentOnes() throws Exception {
    AtomicBoolean up = new AtomicBoolean(true);
    instruments.probe(
        ReadinessProbe.of("switch", () -> up.get() ? Health.up("on") : Health.down("off")));
    AdminHttp http = AdminHttp.http(start(open()));
    HttpResponse<String> ready = http.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(
            new JsonObject(ready.body()).getJsonArray("checks").getJsonObject(0).getString("name"))
        .isEqualTo("switch");
    up.set(false);
    Thread.sleep(1100); // answers are reused for a second
    HttpResponse<String> down = http.get("/health/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("\"detail\":\"off\"");
    up.set(true);
    Instruments.Registration silent =
        instruments.probe(
            new ReadinessProbe() {
              @Override
              public String name() {
                return "silent";
              }

              @Override
              public CompletableFuture<Health> check() {
                return new CompletableFuture<>();
              }
            });
    Thread.sleep(1100);
    HttpResponse<String> slow = http.get("/health/ready");
    assertThat(slow.statusCode()).isEqualTo(503);
    assertThat(slow.body()).contains("no answer within " + Readiness.TIMEOUT_MS + " ms");
    silent.close();
    Thread.sleep(1100);
    assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void tokenFileMustBePrivateAndLongEnough() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> AdminOptions.readToken(token))
        .hasMessageContaining("may be read or written by group or others (rw-r-----)");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    assertThat(AdminOptions.readToken(token)).isEqualTo(TOKEN);
    Files.writeString(token, "short\n");
    assertThatThrownBy(() -> AdminOptions.readToken(token))
        .hasMessageContaining("at least 16 printable characters");
    assertThatThrownBy(() -> AdminOptions.readToken(dir.resolve("missing")))
        .hasMessageContaining("is not a readable file");
    assertThat(
            new AdminOptions("h", 1, Optional.of(TOKEN), Optional.empty(), Optional.empty())
                .toString())
        .doesNotContain(TOKEN);
  }
}
