package io.inkan.dataset;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A host list asked key by key, as OpenDKIM asks any data set (opendkim/util.c, {@code
 * dkimf_checkhost()} then {@code dkimf_checkip()}): the keys of {@link HostListKeys} in order, each
 * first negated; an existing {@code !key} ends that half with "no", an existing {@code key} with
 * "yes". Used for sets that cannot be walked ({@code dsn:}, {@code ldap:}, a large {@code db:}) and
 * for {@code refile:} patterns. Remote sets answer through their {@link CachedDataSet}, so a client
 * seen again costs no query until the answers expire ({@code DataSetCacheTTL}).
 *
 * <p>One difference from OpenDKIM: a set that cannot answer is {@link DataSetUnavailableException}
 * (the caller applies On-InternalError), where OpenDKIM silently answers "not listed".
 */
final class LookupHostList implements HostMatcher {
  private final DataSet set;
  private final boolean remote;

  LookupHostList(DataSet set) {
    this.set = Objects.requireNonNull(set, "set");
    this.remote = set.localEntries().isEmpty();
  }

  @Override
  public boolean matches(InetAddress address, String hostname) {
    return listed(HostListKeys.forName(hostname))
        || (address != null && listed(HostListKeys.forAddress(address)));
  }

  /** One half: the first key whose negated or plain form exists decides. */
  private boolean listed(List<String> keys) {
    for (String key : keys) {
      if (set.contains("!" + key)) {
        return false;
      }
      if (set.contains(key)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean mayBlock() {
    return remote;
  }

  @Override
  public void close() {
    set.close();
  }

  @Override
  public String toString() {
    return "LookupHostList[" + set.spec() + "]";
  }
}
