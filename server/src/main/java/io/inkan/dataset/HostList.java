package io.inkan.dataset;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The InternalHosts / ExternalIgnoreList / PeerList matcher over a data set's keys
 * (opendkim.conf(5), PeerList): host names, {@code .domain} suffixes, IPv4 and IPv6 addresses and
 * CIDR blocks, each optionally in square brackets ({@code [192.0.2.1]}, {@code [2001:db8::]/32})
 * and optionally negated with a leading {@code !}. Entries are parsed once; a lookup allocates
 * little (host names) or nothing (addresses).
 *
 * <p>Order, as OpenDKIM's {@code dkimf_checkhost()} and {@code dkimf_checkip()} (opendkim/util.c)
 * implement it, and its callers combine them ({@code checkhost(host) || checkip(ip)}):
 *
 * <ol>
 *   <li>Host name first. The name itself, then each suffix starting at a dot ({@code
 *       mail.example.com}, {@code .example.com}, {@code .com}); at each step a negated entry ends
 *       the name check with "no", a plain one with "yes". So {@code .example.com} matches
 *       subdomains but not {@code example.com} itself, and the more specific entry wins.
 *   <li>Then the address, if the name check did not say "yes": prefix lengths from the longest (the
 *       address itself) down to 0, negated entry before plain entry at each length. So {@code
 *       192.0.2.1} beats {@code !192.0.2.0/24} (the manual's example), and {@code !192.0.2.1} beats
 *       {@code 192.0.2.0/24}.
 * </ol>
 *
 * <p>Consequence kept for compatibility: a negated host name only ends the name check; the address
 * check still runs, so {@code !bad.example.com} does not exclude that host when its address is
 * listed (negate the address to exclude it).
 *
 * <p>Inkan differences, all documented: addresses are compared as numbers, not as text, so {@code
 * 2001:DB8:0::1} matches {@code 2001:db8::1}; IPv4-mapped IPv6 addresses are IPv4 addresses (RFC
 * 4291 §2.5.5.2, and Java's {@link InetAddress} already turns {@code ::ffff:192.0.2.1} into an
 * {@link Inet4Address}): such a client matches {@code 192.0.2.0/24} and {@code
 * ::ffff:192.0.2.0/120}, while IPv6 entries with prefixes shorter than 96 match only native IPv6
 * clients (OpenDKIM compares the text form of the connection's own family instead). Entries that
 * OpenDKIM would silently never match are errors: a CIDR block with host bits set ({@code
 * 192.0.2.5/24}), a netmask ({@code 192.0.2.0/255.255.255.0}: OpenDKIM only probes {@code /bits}),
 * an out-of-range prefix, a malformed address. Host names compare ignoring ASCII case and a
 * trailing dot.
 */
public final class HostList implements HostMatcher {
  private static final HostList DEFAULT_INTERNAL = defaultList();

  private final Set<String> names;
  private final Set<String> negatedNames;
  private final AddressTable addresses;

  private HostList(Set<String> names, Set<String> negatedNames, AddressTable addresses) {
    this.names = names;
    this.negatedNames = negatedNames;
    this.addresses = addresses;
  }

  /**
   * A host list over the keys of {@code set} (values are ignored). Only walkable sets ({@code
   * file:}, {@code csl:}, plain paths, a small {@code db:}) are accepted; {@link HostLists#of}
   * takes any set.
   *
   * @throws DataSetException naming the data set line of an entry that does not parse
   */
  public static HostList of(DataSet set) throws DataSetException {
    Objects.requireNonNull(set, "set");
    if (set.patternKeys() || set.localEntries().isEmpty()) {
      throw new DataSetException(
          set.declaredAt(),
          null,
          set.spec(),
          "host lists must be walkable (file:, csl:, a plain path, or a db: of up to 10,000"
              + " entries); refile:, SQL and LDAP host lists are not supported");
    }
    Set<String> names = new HashSet<>();
    Set<String> negated = new HashSet<>();
    AddressTable.Builder table = new AddressTable.Builder();
    for (DataSetEntry entry : set.localEntries().get()) {
      HostEntry parsed;
      try {
        parsed = HostEntry.parse(entry.key());
      } catch (IllegalArgumentException e) {
        Source at = entry.source().equals(set.declaredAt()) ? null : entry.source();
        throw new DataSetException(set.declaredAt(), at, set.spec(), e.getMessage());
      }
      if (parsed.name() != null) {
        (parsed.negated() ? negated : names).add(parsed.name());
      } else {
        table.add(parsed.hi(), parsed.lo(), parsed.prefix(), parsed.negated());
      }
    }
    return new HostList(Set.copyOf(names), Set.copyOf(negated), table.build());
  }

  /**
   * OpenDKIM's default InternalHosts, {@code csl:127.0.0.1,::1} ({@code DEFINTERNAL}, opendkim.h).
   */
  public static HostList defaultInternalHosts() {
    return DEFAULT_INTERNAL;
  }

  private static HostList defaultList() {
    try {
      return of(DataSets.parse("csl:127.0.0.1,::1", "(default InternalHosts)", 0));
    } catch (DataSetException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Whether a client belongs to the list: its host name is checked first, then its address (see the
   * class comment). Either may be {@code null}; a name in square brackets (an MTA's "no reverse
   * DNS" form) is not checked as a name.
   */
  @Override
  public boolean matches(InetAddress address, String hostname) {
    return matchesHostname(hostname) || (address != null && matchesAddress(address));
  }

  /** The name half of {@link #matches}: {@code dkimf_checkhost()}. */
  public boolean matchesHostname(String hostname) {
    if (hostname == null || hostname.isEmpty() || hostname.charAt(0) == '[') {
      return false;
    }
    if (names.isEmpty() && negatedNames.isEmpty()) {
      return false;
    }
    String host = HostEntry.foldName(hostname);
    for (int dot = 0; dot >= 0 && dot < host.length(); dot = host.indexOf('.', dot + 1)) {
      String candidate = dot == 0 ? host : host.substring(dot);
      if (negatedNames.contains(candidate)) {
        return false;
      }
      if (names.contains(candidate)) {
        return true;
      }
    }
    return false;
  }

  /** The address half of {@link #matches}: {@code dkimf_checkip()}. */
  public boolean matchesAddress(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      long v4 =
          ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
      return addresses.lookup(IpText.MAPPED_HI, IpText.MAPPED_LO_PREFIX | v4, 96)
          == AddressTable.INCLUDED;
    }
    if (!(address instanceof Inet6Address)) {
      return false;
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xffL);
      lo = (lo << 8) | (b[i + 8] & 0xffL);
    }
    int minPrefix = IpText.isMapped(hi, lo) ? 96 : 0;
    return addresses.lookup(hi, lo, minPrefix) == AddressTable.INCLUDED;
  }

  @Override
  public String toString() {
    return "HostList[" + (names.size() + negatedNames.size()) + " names, addresses]";
  }
}
