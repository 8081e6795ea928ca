package io.inkan.telemetry;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One cheap check that a dependency answers: the milter listener is bound, an LDAP server accepts
 * the bind, an SQL pool hands out a connection that answers {@code SELECT 1}, DNS answers one fixed
 * query. Never a walk of all keys. {@code /health/ready} runs every registered probe (with a
 * timeout) and is ready only when all are up.
 */
public interface ReadinessProbe {
  /** A stable name for operators and the dashboard, e.g. {@code milter}, {@code KeyTable ldap}. */
  String name();

  /**
   * Starts one check. Must not block the calling thread (an event loop): a blocking check runs on
   * an executor of the component's own and completes the stage from there. A stage completed
   * exceptionally counts as down with the exception's message.
   */
  CompletionStage<Health> check();

  /** A probe answered at once from state the component keeps (e.g. "listening"). */
  static ReadinessProbe of(String name, Supplier<Health> state) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    return new ReadinessProbe() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CompletionStage<Health> check() {
        return CompletableFuture.completedFuture(state.get());
      }
    };
  }
}
