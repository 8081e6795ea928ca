package io.inkan.runtime.cluster;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.crypto.DkimCrypto;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.policy.ChosenKey;
import io.inkan.policy.DkimPolicy;
import io.inkan.policy.SenderKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signer node's side of the event bus: answers which keys sign a sender and signs digests or
 * header blocks with the keys of the current policy (so a reload reaches it at once). Key lookups
 * run on the lookup pool, private-key operations on the crypto pool, never on an event loop. A
 * failure is replied with a code and a reason that names no secret; the front-end then tries
 * another signer or applies On-InternalError.
 */
public final class SignerEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SignerEndpoint.class);

  private final Supplier<DkimPolicy> policy;
  private final Executor lookups;
  private final Executor crypto;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  private SignerEndpoint(Supplier<DkimPolicy> policy, Executor lookups, Executor crypto) {
    this.policy = policy;
    this.lookups = lookups;
    this.crypto = crypto;
  }

  /** Registers the signer's addresses; the future completes once the cluster knows them. */
  public static Future<SignerEndpoint> start(
      Vertx vertx, Supplier<DkimPolicy> policy, Executor lookups, Executor crypto) {
    SignerEndpoint e = new SignerEndpoint(policy, lookups, crypto);
    MessageConsumer<JsonObject> keys =
        vertx.eventBus().consumer(SignerProtocol.KEYS, m -> e.off(m, lookups, e::keys));
    MessageConsumer<JsonObject> sign =
        vertx.eventBus().consumer(SignerProtocol.SIGN, m -> e.off(m, crypto, e::sign));
    e.consumers.add(keys);
    e.consumers.add(sign);
    return Future.all(keys.completion(), sign.completion()).map(e);
  }

  /** Tells every node that key mappings changed, so their cached choices go. */
  public static void announceChange(Vertx vertx) {
    vertx.eventBus().publish(SignerProtocol.CHANGED, new JsonObject().put("v", 1));
  }

  @FunctionalInterface
  private interface Handler {
    JsonObject answer(JsonObject request) throws Exception;
  }

  private void off(Message<JsonObject> m, Executor on, Handler h) {
    try {
      on.execute(() -> reply(m, h));
    } catch (RejectedExecutionException e) {
      m.fail(SignerProtocol.UNAVAILABLE, "signer is shutting down");
    }
  }

  private static void reply(Message<JsonObject> m, Handler h) {
    try {
      m.reply(h.answer(m.body()));
    } catch (IllegalArgumentException | SenderKeys.KeyChoiceException e) {
      m.fail(
          e instanceof SenderKeys.KeyChoiceException
              ? SignerProtocol.UNAVAILABLE
              : SignerProtocol.BAD_REQUEST,
          e.getMessage());
    } catch (Exception e) {
      LOG.warn("sign request failed: {}", e.toString());
      m.fail(SignerProtocol.UNAVAILABLE, e.getClass().getSimpleName());
    }
  }

  private JsonObject keys(JsonObject q) throws Exception {
    SignerProtocol.checkVersion(q);
    SenderKeys keys = policy.get().senderKeys();
    List<ChosenKey> chosen =
        switch (q.getString("op", "")) {
          case "choose" ->
              keys.choose(
                  q.getString("address"), q.getString("domain"), q.getBoolean("multiple", false));
          case "named" ->
              keys.named(q.getString("name"), q.getString("domain"))
                  .map(List::of)
                  .orElse(List.of());
          default -> throw new IllegalArgumentException("unknown op " + q.getString("op"));
        };
    return SignerProtocol.keys(
        chosen.stream()
            .map(k -> SignerProtocol.describe(k, DkimCrypto.signsDigest(k.key().type())))
            .toList());
  }

  private JsonObject sign(JsonObject q) throws Exception {
    SignerProtocol.checkVersion(q);
    ChosenKey.KeyRef ref = SignerProtocol.refOf(q.getJsonObject("ref"));
    Optional<ChosenKey> held = policy.get().heldKey(ref);
    if (held.isEmpty() || !(held.get().key() instanceof SigningKey key)) {
      throw new IllegalArgumentException("no such key here: " + ref.name());
    }
    DkimAlgorithm a =
        DkimAlgorithm.parse(q.getString("a"))
            .filter(x -> x.keyType() == key.type() && x != DkimAlgorithm.RSA_SHA1)
            .orElseThrow(() -> new IllegalArgumentException("algorithm does not fit the key"));
    byte[] data = Base64.getDecoder().decode(q.getString("data"));
    try {
      byte[] b =
          "digest".equals(q.getString("form"))
              ? DkimCrypto.signDigest(a, key.privateKey(), data)
              : DkimCrypto.sign(a, key.privateKey(), data);
      return SignerProtocol.signature(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    consumers.forEach(MessageConsumer::unregister);
  }
}
