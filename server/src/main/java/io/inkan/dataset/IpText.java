package io.inkan.dataset;

/**
 * Strict parsers for textual IP addresses that never touch DNS (unlike {@code
 * InetAddress.getByName}). Both return 128-bit values as two longs; IPv4 addresses become their
 * IPv4-mapped IPv6 form {@code ::ffff:a.b.c.d} (RFC 4291 §2.5.5.2).
 */
final class IpText {
  static final long MAPPED_HI = 0L;
  static final long MAPPED_LO_PREFIX = 0x0000_ffff_0000_0000L;

  private IpText() {}

  /**
   * A dotted quad {@code a.b.c.d} (decimal, no leading zeros) as an unsigned 32-bit value, or -1.
   */
  static long parseIpv4(String s) {
    long value = 0;
    int parts = 0;
    int i = 0;
    while (parts < 4) {
      int start = i;
      int octet = 0;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
        octet = octet * 10 + (s.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || octet > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | octet;
      parts++;
      if (parts < 4) {
        if (i >= s.length() || s.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return i == s.length() ? value : -1;
  }

  /** An RFC 4291 §2.2 IPv6 address (no zone) as {hi, lo}, or {@code null}. */
  static long[] parseIpv6(String s) {
    int[] groups = new int[8];
    int count = 0;
    int gapAt = -1;
    int i = 0;
    int n = s.length();
    if (n < 2) {
      return null;
    }
    if (s.startsWith("::")) {
      gapAt = 0;
      i = 2;
      if (i == n) {
        return new long[] {0, 0};
      }
    } else if (s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      if (count == 8) {
        return null;
      }
      int start = i;
      int value = 0;
      while (i < n && i - start < 5 && hex(s.charAt(i)) >= 0) {
        value = (value << 4) | hex(s.charAt(i));
        i++;
      }
      if (i < n && s.charAt(i) == '.') {
        long v4 = parseIpv4(s.substring(start));
        if (v4 < 0 || count > 6) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xffff);
        i = n;
        break;
      }
      if (i == start || i - start > 4) {
        return null;
      }
      groups[count++] = value;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (gapAt >= 0) {
          return null;
        }
        gapAt = count;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null;
      }
    }
    if (gapAt < 0 ? count != 8 : count > 7) {
      return null;
    }
    int[] full = new int[8];
    if (gapAt < 0) {
      full = groups;
    } else {
      int tail = count - gapAt;
      System.arraycopy(groups, 0, full, 0, gapAt);
      System.arraycopy(groups, gapAt, full, 8 - tail, tail);
    }
    long hi = 0;
    long lo = 0;
    for (int g = 0; g < 4; g++) {
      hi = (hi << 16) | full[g];
      lo = (lo << 16) | full[g + 4];
    }
    return new long[] {hi, lo};
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /** Whether {hi, lo} is an IPv4-mapped address, {@code ::ffff:0:0/96}. */
  static boolean isMapped(long hi, long lo) {
    return hi == MAPPED_HI && (lo & 0xffff_ffff_0000_0000L) == MAPPED_LO_PREFIX;
  }

  /** The 128-bit mask's high half for a prefix length 0..128. */
  static long maskHi(int prefix) {
    return prefix >= 64 ? -1L : prefix == 0 ? 0L : -1L << (64 - prefix);
  }

  /** The 128-bit mask's low half for a prefix length 0..128. */
  static long maskLo(int prefix) {
    return prefix <= 64 ? 0L : prefix == 128 ? -1L : -1L << (128 - prefix);
  }
}
