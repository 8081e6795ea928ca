package io.inkan.dataset;

/**
 * One parsed host-list key: either a host name or {@code .domain} suffix ({@code name} set), or a
 * network as a 128-bit value (IPv4 mapped into {@code ::ffff:0:0/96}) and a prefix length.
 */
record HostEntry(boolean negated, String name, long hi, long lo, int prefix) {

  /**
   * Parses a key such as {@code !192.0.2.0/24}, {@code [2001:db8::1]}, {@code .example.com}.
   *
   * @throws IllegalArgumentException with a message that says what is wrong and what to write
   */
  static HostEntry parse(String key) {
    boolean negated = key.startsWith("!");
    String body = negated ? key.substring(1) : key;
    if (body.isEmpty()) {
      throw new IllegalArgumentException("\"" + key + "\" has nothing after \"!\"");
    }
    int slash = body.indexOf('/');
    String addr = slash < 0 ? body : body.substring(0, slash);
    boolean bracketed = addr.startsWith("[") && addr.endsWith("]") && addr.length() >= 2;
    if (bracketed) {
      addr = addr.substring(1, addr.length() - 1);
    }
    long v4 = IpText.parseIpv4(addr);
    long[] v6 = v4 >= 0 ? null : IpText.parseIpv6(addr);
    if (v4 < 0 && v6 == null) {
      if (slash >= 0 || bracketed || addr.indexOf(':') >= 0 || isDigitsAndDots(addr)) {
        throw new IllegalArgumentException(
            "\"" + key + "\" is not a valid IPv4 or IPv6 address or CIDR block");
      }
      if (addr.startsWith("[") || addr.endsWith("]")) {
        throw new IllegalArgumentException("\"" + key + "\" has an unbalanced square bracket");
      }
      String name = foldName(body);
      if (name.isEmpty() || name.equals(".")) {
        throw new IllegalArgumentException("\"" + key + "\" is not a host or domain name");
      }
      return new HostEntry(negated, name, 0, 0, 0);
    }
    long hi = v6 == null ? IpText.MAPPED_HI : v6[0];
    long lo = v6 == null ? IpText.MAPPED_LO_PREFIX | v4 : v6[1];
    int max = v6 == null ? 32 : 128;
    int prefix = max;
    if (slash >= 0) {
      prefix = prefixLength(key, body.substring(slash + 1), max, v4);
    }
    if (v6 == null) {
      prefix += 96;
    } else if (IpText.isMapped(hi, lo) && prefix < 96) {
      throw new IllegalArgumentException(
          "\"" + key + "\": an IPv4-mapped block needs a prefix of at least /96");
    }
    long mh = hi & IpText.maskHi(prefix);
    long ml = lo & IpText.maskLo(prefix);
    if (mh != hi || ml != lo) {
      throw new IllegalArgumentException(
          "\""
              + key
              + "\" has bits set past the /"
              + (v6 == null ? prefix - 96 : prefix)
              + " prefix, so OpenDKIM would never match it; write the network address");
    }
    return new HostEntry(negated, null, hi, lo, prefix);
  }

  private static int prefixLength(String key, String text, int max, long v4) {
    if (v4 >= 0 && IpText.parseIpv4(text) >= 0) {
      long mask = IpText.parseIpv4(text);
      int bits = Long.bitCount(mask);
      String hint =
          mask == ((0xffff_ffffL << (32 - bits)) & 0xffff_ffffL)
              ? "; write /" + bits
              : " (and this mask is not contiguous)";
      throw new IllegalArgumentException(
          "\"" + key + "\": OpenDKIM takes prefix lengths, not netmasks" + hint);
    }
    if (text.isEmpty() || text.length() > 3 || !isDigits(text)) {
      throw new IllegalArgumentException(
          "\"" + key + "\": the prefix length must be a number from 0 to " + max);
    }
    int len = Integer.parseInt(text);
    if (len > max) {
      throw new IllegalArgumentException(
          "\"" + key + "\": the prefix length must be a number from 0 to " + max);
    }
    return len;
  }

  /** A host name in comparison form: ASCII lower case, no trailing dot. */
  static String foldName(String name) {
    String n =
        name.length() > 1 && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return KeyCase.asciiLower(n);
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigitsAndDots(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return false;
      }
    }
    return true;
  }
}
