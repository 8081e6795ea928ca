package io.inkan.runtime.admin;

import io.inkan.telemetry.Health;
import io.inkan.telemetry.Instruments;
import io.inkan.telemetry.ReadinessProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs every registered {@link ReadinessProbe} at once, each bounded by a timeout; answers from the
 * last run when it is under a second old, so that many callers cause one round of probes.
 */
final class Readiness {
  /** A probe that has not answered within this is down. */
  static final long TIMEOUT_MS = 2000;

  private static final long REUSE_NANOS = 1_000_000_000L;

  private final Vertx vertx;
  private final Instruments instruments;
  private volatile Future<List<Check>> last;
  private long lastStarted;

  /** One probe's answer, with its name. */
  record Check(String name, Health health) {
    JsonObject json() {
      return new JsonObject()
          .put("name", name)
          .put("up", health.up())
          .put("detail", health.detail());
    }
  }

  Readiness(Vertx vertx, Instruments instruments) {
    this.vertx = vertx;
    this.instruments = instruments;
  }

  /** The probes' answers, in registration order. Call on the admin server's event loop. */
  synchronized Future<List<Check>> check() {
    long now = System.nanoTime();
    if (last != null && (!last.isComplete() || now - lastStarted < REUSE_NANOS)) {
      return last;
    }
    List<Future<Check>> running = new ArrayList<>();
    for (ReadinessProbe p : instruments.probes()) {
      running.add(run(p));
    }
    lastStarted = now;
    last = Future.all(running).map(all -> running.stream().map(Future::result).toList());
    return last;
  }

  /** The last answers seen, without probing; empty before the first round. */
  List<Check> lastKnown() {
    Future<List<Check>> l = last;
    return l != null && l.succeeded() ? l.result() : List.of();
  }

  static boolean allUp(List<Check> checks) {
    return checks.stream().allMatch(c -> c.health().up());
  }

  static JsonArray json(List<Check> checks) {
    JsonArray a = new JsonArray();
    checks.forEach(c -> a.add(c.json()));
    return a;
  }

  private Future<Check> run(ReadinessProbe p) {
    Future<Health> h;
    try {
      h = Future.fromCompletionStage(p.check(), vertx.getOrCreateContext());
    } catch (RuntimeException e) {
      h = Future.failedFuture(e);
    }
    return h.timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .otherwise(
            t ->
                Health.down(
                    t instanceof java.util.concurrent.TimeoutException
                        ? "no answer within " + TIMEOUT_MS + " ms"
                        : String.valueOf(t.getMessage())))
        .map(health -> new Check(p.name(), health));
  }
}
