package io.inkan.runtime.cluster;

import io.inkan.config.ClusterSettings;
import io.inkan.policy.DkimPolicy;
import io.inkan.policy.SenderKeys;
import io.inkan.policy.SignatureService;
import io.inkan.telemetry.Health;
import io.inkan.telemetry.ReadinessProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of an Inkan cluster: the clustered Vert.x, the front-end's way to the
 * signers (key choices and signatures), and the signer's endpoint.
 */
public final class Cluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

  private final ClusterSettings settings;
  private final Vertx vertx;
  private final SignerRequests requests;
  private final ClusterSignatures signatures;
  private SignerEndpoint signer;

  private Cluster(ClusterSettings settings, Vertx vertx, MeterRegistry meters) {
    this.settings = settings;
    this.vertx = vertx;
    this.requests =
        new SignerRequests(
            vertx,
            Duration.ofMillis(settings.signTimeoutMillis()),
            settings.signAttempts(),
            meters);
    this.signatures = new ClusterSignatures(requests);
  }

  /**
   * Joins the members listed in the settings (blocking, up to {@code wait}).
   *
   * @throws IllegalStateException when the membership or the event bus cannot start
   */
  public static Cluster join(ClusterSettings settings, MeterRegistry meters, Duration wait) {
    try {
      Vertx vertx =
          ClusterNode.start(settings)
              .toCompletionStage()
              .toCompletableFuture()
              .get(wait.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info(
          "joined cluster {} as {} (member {}, members {})",
          settings.name(),
          settings.roles(),
          settings.listen().map(ClusterSettings.HostPort::text).orElse(""),
          settings.members().stream().map(ClusterSettings.HostPort::text).toList());
      return new Cluster(settings, vertx, meters);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while joining the cluster", e);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot join cluster " + settings.name() + ": " + cause, e);
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public ClusterSettings settings() {
    return settings;
  }

  /**
   * The services of a front-end's policy: keys chosen by the signers (a fresh cache per policy, so
   * a reload starts clean) and signatures made by them.
   */
  public DkimPolicy.Services frontEnd(DkimPolicy.Services base) {
    return base.withSigners(senderKeys(), signatures);
  }

  /**
   * A front-end, before it serves mail: asks the signers questions whose answers are thrown away
   * until one answers (up to {@code wait}), so the event bus's TLS connections are up before the
   * first message waits on them. No answer is logged, not fatal: mail then gets On-InternalError
   * until a signer answers.
   */
  public void warmUp(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    int answered = 0;
    Exception last = null;
    while (answered < 4 && System.nanoTime() < deadline) {
      try {
        askSigner()
            .toCompletionStage()
            .toCompletableFuture()
            .get(requests.budget().toMillis() + 1000, TimeUnit.MILLISECONDS);
        answered++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        last = e;
      }
    }
    if (answered == 0) {
      LOG.warn(
          "no signer answered within {} s: {}",
          wait.toSeconds(),
          last == null || last.getCause() == null ? last : last.getCause().getMessage());
    }
  }

  /**
   * A front-end's readiness: a signer answers a key question within the attempts (one request, not
   * a walk of keys). A signer node reports the membership size.
   */
  public ReadinessProbe probe() {
    return new ReadinessProbe() {
      @Override
      public String name() {
        return settings.signer() ? "cluster" : "cluster signers";
      }

      @Override
      public CompletionStage<Health> check() {
        int members = ((VertxInternal) vertx).clusterManager().getNodes().size();
        if (settings.signer()) {
          return CompletableFuture.completedFuture(
              Health.up(members + " member(s) in cluster " + settings.name()));
        }
        long t0 = System.nanoTime();
        return askSigner()
            .map(
                reply ->
                    Health.up(
                        "a signer answered in "
                            + (System.nanoTime() - t0) / 1_000_000
                            + " ms; "
                            + members
                            + " member(s)"))
            .otherwise(err -> Health.down(err.getMessage() + "; " + members + " member(s)"))
            .toCompletionStage();
      }
    };
  }

  /** A key question whose answer does not matter: whether a signer answers, and how fast. */
  private Future<JsonObject> askSigner() {
    return requests.request(
        SignerProtocol.KEYS,
        SignerProtocol.choose("postmaster@probe.invalid", "probe.invalid", false));
  }

  SenderKeys senderKeys() {
    return new ClusterSenderKeys(
        vertx, requests, Duration.ofSeconds(settings.keyCacheTtlSeconds()));
  }

  SignatureService signatures() {
    return signatures;
  }

  /** Serves the current policy's keys to the front-ends (blocking until registered). */
  public synchronized void serveSigner(
      Supplier<DkimPolicy> policy, Executor lookups, Executor crypto) {
    if (signer != null) {
      return;
    }
    try {
      signer =
          SignerEndpoint.start(vertx, policy, lookups, crypto)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot register the signer's addresses: " + e, e);
    }
    LOG.info("signer serving key choices and signatures on the cluster's event bus");
  }

  /** Tells every node that key mappings changed (after a reload, a directory push). */
  public void announceChange() {
    SignerEndpoint.announceChange(vertx);
  }

  /** Leaves the cluster: unregisters the signer, then closes Vert.x (bounded). */
  @Override
  public synchronized void close() {
    if (signer != null) {
      signer.close();
      signer = null;
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("leaving the cluster: {}", e.toString());
    }
  }
}
