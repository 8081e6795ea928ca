package io.inkan.policy;

import io.inkan.dataset.HostMatcher;
import java.net.InetAddress;

/**
 * What PeerList and InternalHosts say about one connection's client. A walkable list answers at
 * connect; a remote one ({@code dsn:}, {@code ldap:}) would block the event loop there, so its
 * answer is left for the end of headers, where the decision already runs on the lookup executor
 * (OpenDKIM asks InternalHosts in {@code mlfi_eoh} too; its PeerList answer at connect becomes an
 * untouched accept of each message).
 *
 * @param address the client's address, null when the MTA gave none
 * @param name the client's host name as the MTA gave it, null when none
 */
record ClientHosts(InetAddress address, String name, Answer peer, Answer internal) {

  /** A list's answer: known now, or to be asked off the event loop. */
  enum Answer {
    YES,
    NO,
    LATER
  }

  /** No connect step: no list applies. */
  static final ClientHosts UNKNOWN = new ClientHosts(null, null, Answer.NO, Answer.NO);

  /** The answers walkable lists give now; remote lists are {@link Answer#LATER}. */
  static ClientHosts atConnect(DkimPolicy policy, InetAddress address, String name) {
    Answer peer = policy.peerList().map(l -> now(l, address, name)).orElse(Answer.NO);
    return new ClientHosts(address, name, peer, now(policy.internalHosts(), address, name));
  }

  private static Answer now(HostMatcher list, InetAddress address, String name) {
    if (list.mayBlock()) {
      return Answer.LATER;
    }
    return list.matches(address, name) ? Answer.YES : Answer.NO;
  }

  /**
   * Whether {@code policy}'s PeerList lists the client; asks a remote list, so call off the event
   * loop when {@link #peer()} is {@link Answer#LATER}.
   *
   * @throws io.inkan.dataset.DataSetUnavailableException when the list cannot answer now
   */
  boolean isPeer(DkimPolicy policy) {
    if (peer != Answer.LATER) {
      return peer == Answer.YES;
    }
    return policy.peerList().map(l -> l.matches(address, name)).orElse(false);
  }

  /**
   * Whether {@code policy}'s InternalHosts lists the client; asks a remote list as {@link #isPeer}.
   *
   * @throws io.inkan.dataset.DataSetUnavailableException when the list cannot answer now
   */
  boolean isInternal(DkimPolicy policy) {
    if (internal != Answer.LATER) {
      return internal == Answer.YES;
    }
    return policy.internalHosts().matches(address, name);
  }

  /** The address for log lines: its literal, or empty. */
  String addressText() {
    return address == null ? "" : address.getHostAddress();
  }
}
