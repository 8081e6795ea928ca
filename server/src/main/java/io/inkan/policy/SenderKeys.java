package io.inkan.policy;

import java.util.List;
import java.util.Optional;

/**
 * Which keys sign a sender's mail: the tables and directory of this process ({@link SigningKeys}),
 * or the signer nodes of a cluster, asked over the event bus. Calls may block (remote data sets, a
 * signer's reply): the policy runs them off event loops when {@link #remote} says so.
 */
public interface SenderKeys {

  /**
   * The keys for a sender: the SigningDirectory's for its domain when it has any, else the
   * SigningTable's (every match with {@code multiple}); empty when nothing signs it.
   *
   * @throws KeyChoiceException when the keys cannot be told now (an internal error)
   */
  List<ChosenKey> choose(String address, String domain, boolean multiple) throws KeyChoiceException;

  /**
   * A KeyTable entry by name, for a sender in {@code fromDomain} (ResignMailTo); empty when the
   * KeyTable has no such entry.
   */
  Optional<ChosenKey> named(String keyName, String fromDomain) throws KeyChoiceException;

  /**
   * Whether any key would sign mail from this sender, for the external-sender warning; may answer
   * from what is already known rather than ask.
   */
  boolean signs(String address, String domain);

  /** Whether any key is configured at all. */
  boolean any();

  /** Whether answers may block (remote tables, a directory, signer nodes). */
  boolean remote();

  /** Releases connections and caches (after a reload replaced this set). */
  void close();

  /** No keys at all: a front-end checked without its cluster ({@code inkan serve -n}). */
  static SenderKeys none() {
    return new SenderKeys() {
      @Override
      public List<ChosenKey> choose(String address, String domain, boolean multiple) {
        return List.of();
      }

      @Override
      public Optional<ChosenKey> named(String keyName, String fromDomain) {
        return Optional.empty();
      }

      @Override
      public boolean signs(String address, String domain) {
        return false;
      }

      @Override
      public boolean any() {
        return false;
      }

      @Override
      public boolean remote() {
        return false;
      }

      @Override
      public void close() {}
    };
  }

  /** The keys could not be told: a data set, directory or signer did not answer. */
  final class KeyChoiceException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyChoiceException(String message, Throwable cause) {
      super(message, cause);
    }

    public KeyChoiceException(String message) {
      super(message);
    }
  }
}
