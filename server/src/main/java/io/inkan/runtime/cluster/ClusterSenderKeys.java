package io.inkan.runtime.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.inkan.policy.ChosenKey;
import io.inkan.policy.SenderKeys;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A front-end's key choices, asked of the signer nodes and kept for {@code ClusterKeyCacheTTL}
 * seconds (answers that nothing signs a sender too); a change announced on the event bus drops them
 * all. The answers describe keys and never hold them. Calls block until a signer answers, so the
 * policy runs them on its lookup pool; concurrent questions about one sender make one request.
 */
final class ClusterSenderKeys implements SenderKeys {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSenderKeys.class);

  private final SignerRequests requests;
  private final Cache<Question, List<ChosenKey>> answers;
  private final MessageConsumer<JsonObject> changes;

  private record Question(String op, String who, String domain, boolean multiple) {}

  ClusterSenderKeys(Vertx vertx, SignerRequests requests, Duration ttl) {
    this.requests = requests;
    this.answers =
        Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterWrite(ttl)
            .<Question, List<ChosenKey>>build();
    this.changes =
        vertx
            .eventBus()
            .consumer(
                SignerProtocol.CHANGED,
                m -> {
                  LOG.debug(
                      "key mappings changed; dropping {} cached choices", answers.estimatedSize());
                  answers.invalidateAll();
                });
  }

  @Override
  public List<ChosenKey> choose(String address, String domain, boolean multiple)
      throws KeyChoiceException {
    return ask(
        new Question("choose", address, domain, multiple),
        SignerProtocol.choose(address, domain, multiple));
  }

  @Override
  public Optional<ChosenKey> named(String keyName, String fromDomain) throws KeyChoiceException {
    return ask(
            new Question("named", keyName, fromDomain, false),
            SignerProtocol.named(keyName, fromDomain))
        .stream()
        .findFirst();
  }

  private List<ChosenKey> ask(Question q, JsonObject body) throws KeyChoiceException {
    try {
      return answers.get(q, k -> fetch(body));
    } catch (AskFailed e) {
      throw new KeyChoiceException(e.getMessage(), e.getCause());
    }
  }

  private List<ChosenKey> fetch(JsonObject body) {
    try {
      JsonObject reply =
          requests
              .request(SignerProtocol.KEYS, body)
              .toCompletionStage()
              .toCompletableFuture()
              .get(requests.budget().toMillis() + 1000, TimeUnit.MILLISECONDS);
      return SignerProtocol.keysOf(reply);
    } catch (ExecutionException e) {
      throw new AskFailed("signing keys unknown: " + SignerRequests.reason(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new AskFailed("signing keys unknown: no signer answered in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AskFailed("interrupted", e);
    } catch (IllegalArgumentException e) {
      throw new AskFailed("a signer's answer did not parse: " + e.getMessage(), e);
    }
  }

  /** Carries a failure out of the cache's loader. */
  private static final class AskFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AskFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public boolean signs(String address, String domain) {
    List<ChosenKey> single = answers.getIfPresent(new Question("choose", address, domain, false));
    List<ChosenKey> multiple = answers.getIfPresent(new Question("choose", address, domain, true));
    return (single != null && !single.isEmpty()) || (multiple != null && !multiple.isEmpty());
  }

  @Override
  public boolean any() {
    return true;
  }

  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public void close() {
    changes.unregister();
    answers.invalidateAll();
  }
}
