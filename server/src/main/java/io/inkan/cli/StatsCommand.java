package io.inkan.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inkan stats}: reads a running node's {@code /api/status} and {@code /api/stats} (the admin
 * endpoint, {@code AdminListen}) and prints a terminal summary, once or every few seconds.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    sortOptions = false,
    description = {
      "Show what a running Inkan node is doing: version, uptime, crypto provider, socket, mode,"
          + " messages by outcome, rate, latency percentiles, connections, cache hit rates,"
          + " readiness of each dependency and the top domains, from its admin endpoint"
          + " (AdminListen).",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:the node answered",
      "1:the node is unreachable or answered with an HTTP error",
      "2:usage error, unreadable token file"
    })
final class StatsCommand implements Callable<Integer> {
  static final int EXIT_UNREACHABLE = 1;

  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8025",
      description = "The admin endpoint (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "File holding the admin token (AdminTokenFile), sent as a bearer token.")
  Path tokenFile;

  @Option(names = "--json", description = "Print the raw JSON: {\"status\":..., \"stats\":...}.")
  boolean json;

  @Option(
      names = "--watch",
      paramLabel = "SECONDS",
      description = "Print again every SECONDS until interrupted.")
  Integer watchSeconds;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "With --watch: stop after N summaries.")
  Integer count;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "Connect and request timeout (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** The node did not answer, or answered with an error; the message says why. */
  static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI base;
    Optional<String> token;
    try {
      base = base();
      token = token();
      checkNumbers();
    } catch (IllegalArgumentException e) {
      err.println("inkan stats: " + e.getMessage());
      err.flush();
      return InkanMain.EXIT_USAGE;
    }
    HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeoutSeconds)).build();
    int status = 0;
    for (int round = 1; ; round++) {
      try {
        JsonObject node = get(client, base, "/api/status", token).orElseThrow();
        Optional<JsonObject> stats = get(client, base, "/api/stats", token);
        if (json) {
          out.println(
              new JsonObject().put("status", node).put("stats", stats.orElse(null)).encode());
        } else {
          if (watchSeconds != null) {
            out.println("--- " + base + " at " + java.time.LocalTime.now().withNano(0));
          }
          StatsCommandSummary.print(node, stats, out);
        }
        status = 0;
      } catch (Unreachable e) {
        err.println("inkan stats: " + base + ": " + e.getMessage());
        status = EXIT_UNREACHABLE;
      }
      out.flush();
      err.flush();
      if (watchSeconds == null || (count != null && round >= count)) {
        return status;
      }
      Thread.sleep(watchSeconds * 1000L);
    }
  }

  private URI base() {
    URI u;
    try {
      u = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--url: " + e.getMessage());
    }
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException(
          "--url: an http:// or https:// address with a host, e.g. http://127.0.0.1:8025; got "
              + url);
    }
    return u;
  }

  private Optional<String> token() {
    if (tokenFile == null) {
      return Optional.empty();
    }
    try {
      String t = Files.readString(tokenFile).strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("--token-file " + tokenFile + ": empty");
      }
      return Optional.of(t);
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file " + tokenFile + ": cannot read: " + e);
    }
  }

  private void checkNumbers() {
    if (watchSeconds != null && watchSeconds < 1) {
      throw new IllegalArgumentException("--watch: seconds from 1, got " + watchSeconds);
    }
    if (count != null && (count < 1 || watchSeconds == null)) {
      throw new IllegalArgumentException("--count: a number from 1, with --watch");
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("--timeout: seconds from 1, got " + timeoutSeconds);
    }
  }

  /**
   * GET {@code path} as JSON; empty on 404, which nodes without {@code /api/stats} answer (for
   * {@code /api/status} it is an error).
   */
  private Optional<JsonObject> get(HttpClient client, URI base, String path, Optional<String> token)
      throws Unreachable, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(timeoutSeconds))
            .header("Accept", "application/json");
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<String> r;
    try {
      r = client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new Unreachable("no answer within " + timeoutSeconds + " s");
    } catch (ConnectException e) {
      throw new Unreachable("cannot connect (is AdminListen set and the node running?)");
    } catch (IOException e) {
      throw new Unreachable("cannot read " + path + ": " + e);
    }
    switch (r.statusCode()) {
      case 200 -> {
        try {
          return Optional.of(new JsonObject(r.body()));
        } catch (DecodeException e) {
          throw new Unreachable(path + ": not JSON: " + e.getMessage());
        }
      }
      case 401 ->
          throw new Unreachable(
              tokenFile == null
                  ? "401 unauthorized: the node needs its admin token (--token-file FILE)"
                  : "401 unauthorized: the node rejected the token in " + tokenFile);
      case 404 -> {
        if (path.equals("/api/status")) {
          throw new Unreachable("404 for /api/status: not an Inkan admin endpoint?");
        }
        return Optional.empty();
      }
      default -> throw new Unreachable("HTTP " + r.statusCode() + " for " + path);
    }
  }
}
