package io.inkan.dataset;

import java.net.InetAddress;

/**
 * A host list as the milter asks it (opendkim.conf(5) InternalHosts, PeerList, ExternalIgnoreList):
 * whether a client, by host name or address, is listed. See {@link HostLists} for the two kinds.
 */
public interface HostMatcher extends AutoCloseable {

  /**
   * Whether the client is listed: its host name first, then its address, as OpenDKIM's callers
   * combine {@code dkimf_checkhost()} and {@code dkimf_checkip()}. Either may be {@code null}; a
   * name in square brackets (an MTA's "no reverse DNS" form) is not checked as a name.
   *
   * @throws DataSetUnavailableException when a remote list cannot answer now (not a "no")
   */
  boolean matches(InetAddress address, String hostname);

  /** Whether {@link #matches} may block on a remote set (SQL, LDAP, a large JE table). */
  default boolean mayBlock() {
    return false;
  }

  /** Releases the set's connections; in-memory lists hold none. */
  @Override
  default void close() {}
}
