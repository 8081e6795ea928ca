package io.inkan.runtime.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests to signer nodes with a deadline per attempt and a bounded number of attempts: the event
 * bus hands each attempt to the next signer in turn, so a signer that died or stopped answering is
 * skipped; with none left the request fails and the caller applies its On-* action.
 */
final class SignerRequests {
  private static final Logger LOG = LoggerFactory.getLogger(SignerRequests.class);

  private static final Duration NO_SIGNER_PAUSE = Duration.ofMillis(100);

  private final Vertx vertx;
  private final Duration timeout;
  private final int attempts;
  private final Timer roundTrips;
  private final Counter retries;
  private final Counter failures;

  SignerRequests(Vertx vertx, Duration timeout, int attempts, MeterRegistry meters) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.attempts = attempts;
    this.roundTrips =
        Timer.builder("inkan_cluster_request_seconds")
            .description("Round trips of answered requests to signer nodes")
            .publishPercentileHistogram()
            .register(meters);
    this.retries =
        Counter.builder("inkan_cluster_request_retries")
            .description("Attempts repeated on another signer after a failure or timeout")
            .register(meters);
    this.failures =
        Counter.builder("inkan_cluster_request_failures")
            .description("Requests no signer answered within the attempts")
            .register(meters);
  }

  /** The total time a request may take: every attempt's deadline. */
  Duration budget() {
    return timeout.multipliedBy(attempts);
  }

  Future<JsonObject> request(String address, JsonObject body) {
    Promise<JsonObject> result = Promise.promise();
    attempt(address, body, 1, System.nanoTime() + budget().toNanos(), result);
    return result.future();
  }

  /**
   * One attempt. With no signer registered (all restarting, or this node only just joined) it waits
   * a little and asks again within the budget, without spending an attempt.
   */
  private void attempt(
      String address, JsonObject body, int n, long deadline, Promise<JsonObject> result) {
    long t0 = System.nanoTime();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    vertx
        .eventBus()
        .<JsonObject>request(address, body, options)
        .onSuccess(
            reply -> {
              roundTrips.record(Duration.ofNanos(System.nanoTime() - t0));
              result.complete(reply.body());
            })
        .onFailure(
            err -> {
              boolean waitForSigner =
                  noHandlers(err) && System.nanoTime() + NO_SIGNER_PAUSE.toNanos() < deadline;
              if (n >= attempts && !waitForSigner) {
                failures.increment();
                result.fail(
                    new SignerUnavailableException(
                        "no signer answered " + address + " in " + n + " attempts: " + reason(err),
                        err));
                return;
              }
              LOG.debug("{} attempt {} failed: {}; retrying", address, n, reason(err));
              if (waitForSigner) {
                vertx.setTimer(
                    NO_SIGNER_PAUSE.toMillis(), id -> attempt(address, body, n, deadline, result));
              } else {
                retries.increment();
                attempt(address, body, n + 1, deadline, result);
              }
            });
  }

  private static boolean noHandlers(Throwable err) {
    return err instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
  }

  static String reason(Throwable err) {
    if (err instanceof ReplyException r) {
      return switch (r.failureType()) {
        case NO_HANDLERS -> "no signer in the cluster";
        case TIMEOUT -> "timed out";
        case RECIPIENT_FAILURE -> "signer failed (" + r.failureCode() + "): " + r.getMessage();
        case ERROR -> "error: " + r.getMessage();
      };
    }
    return err.toString();
  }

  /** No signer could serve a request. */
  static final class SignerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SignerUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
