package io.inkan.runtime.cluster;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.crypto.RemoteKey;
import io.inkan.keys.DomainKeySource.KeyOptions;
import io.inkan.policy.ChosenKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The event-bus messages between front-ends and signers, as JSON. Every message carries a format
 * version {@code v}; a node answers a version it does not know with a failure, so nodes of two
 * releases can share a cluster while it is upgraded one node at a time. No message ever carries
 * private-key material: a key choice names the key and describes it, a sign request carries the
 * digest (or header block) to sign, a reply the signature.
 */
final class SignerProtocol {
  /** Which keys sign a sender ({@code choose}) or a named KeyTable key ({@code named}). */
  static final String KEYS = "inkan.signer.v1.keys";

  /** Sign a digest or a header block with a chosen key. */
  static final String SIGN = "inkan.signer.v1.sign";

  /** Published when key mappings change (reload, a directory push): drop cached choices. */
  static final String CHANGED = "inkan.cluster.v1.changed";

  static final int VERSION = 1;

  /** The failure code for a request this node cannot take (bad version, unknown key). */
  static final int BAD_REQUEST = 400;

  /** The failure code for a dependency that did not answer (a data set, a directory). */
  static final int UNAVAILABLE = 503;

  private SignerProtocol() {}

  static JsonObject choose(String address, String domain, boolean multiple) {
    return versioned()
        .put("op", "choose")
        .put("address", address)
        .put("domain", domain)
        .put("multiple", multiple);
  }

  static JsonObject named(String keyName, String fromDomain) {
    return versioned().put("op", "named").put("name", keyName).put("domain", fromDomain);
  }

  /** A key choice without the private key: what a front-end needs to build the field. */
  static JsonObject describe(ChosenKey k, boolean signsDigest) {
    JsonObject o =
        new JsonObject()
            .put("ref", ref(k.ref()))
            .put("d", k.domain())
            .put("s", k.selector())
            .put("a", k.algorithm().tagValue())
            .put("type", k.key().type().name())
            .put("bits", k.key().bits())
            .put("digest", signsDigest);
    k.identity().ifPresent(i -> o.put("i", i));
    KeyOptions opts = k.options();
    opts.canonicalization().ifPresent(c -> o.put("c", c));
    opts.signedHeaders().ifPresent(h -> o.put("h", new JsonArray(List.copyOf(h))));
    opts.oversignedHeaders().ifPresent(h -> o.put("oh", new JsonArray(List.copyOf(h))));
    opts.signatureTtlSeconds().ifPresent(x -> o.put("x", x));
    return o;
  }

  static JsonObject keys(List<JsonObject> described) {
    return versioned().put("keys", new JsonArray(new ArrayList<>(described)));
  }

  /** The keys of a reply, each a handle to a key on the signers. */
  static List<ChosenKey> keysOf(JsonObject reply) {
    checkVersion(reply);
    List<ChosenKey> out = new ArrayList<>();
    JsonArray keys = reply.getJsonArray("keys", new JsonArray());
    for (int i = 0; i < keys.size(); i++) {
      JsonObject o = keys.getJsonObject(i);
      JsonObject ref = o.getJsonObject("ref");
      DkimAlgorithm a =
          DkimAlgorithm.parse(o.getString("a"))
              .orElseThrow(() -> new IllegalArgumentException("unknown a=" + o.getString("a")));
      RemoteKey key =
          new RemoteKey(
              ref.encode(),
              KeyType.valueOf(o.getString("type")),
              o.getInteger("bits"),
              o.getBoolean("digest", false));
      out.add(
          new ChosenKey(
              refOf(ref),
              o.getString("d"),
              o.getString("s"),
              key,
              a,
              Optional.ofNullable(o.getString("i")),
              new KeyOptions(
                  Optional.ofNullable(o.getString("c")),
                  Optional.ofNullable(o.getJsonArray("h")).map(SignerProtocol::strings),
                  Optional.ofNullable(o.getJsonArray("oh")).map(SignerProtocol::strings),
                  o.containsKey("x") ? OptionalLong.of(o.getLong("x")) : OptionalLong.empty())));
    }
    return out;
  }

  /** A sign request: the key, the algorithm, and the digest ({@code digest}) or the block. */
  static JsonObject sign(RemoteKey key, DkimAlgorithm a, boolean digest, byte[] data) {
    return versioned()
        .put("ref", new JsonObject(key.id()))
        .put("a", a.tagValue())
        .put("form", digest ? "digest" : "block")
        .put("data", Base64.getEncoder().encodeToString(data));
  }

  static JsonObject signature(byte[] b) {
    return versioned().put("b", Base64.getEncoder().encodeToString(b));
  }

  static byte[] signatureOf(JsonObject reply) {
    checkVersion(reply);
    return Base64.getDecoder().decode(reply.getString("b"));
  }

  static JsonObject ref(ChosenKey.KeyRef r) {
    return new JsonObject()
        .put("dir", r.directory())
        .put("name", r.name())
        .put("from", r.fromDomain());
  }

  static ChosenKey.KeyRef refOf(JsonObject o) {
    return new ChosenKey.KeyRef(
        o.getBoolean("dir", false), o.getString("name"), o.getString("from"));
  }

  /**
   * @throws IllegalArgumentException for a message of a format this node does not know
   */
  static void checkVersion(JsonObject o) {
    Integer v = o.getInteger("v");
    if (v == null || v != VERSION) {
      throw new IllegalArgumentException("unsupported message version " + v);
    }
  }

  private static JsonObject versioned() {
    return new JsonObject().put("v", VERSION);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getString(i));
    }
    return out;
  }
}
