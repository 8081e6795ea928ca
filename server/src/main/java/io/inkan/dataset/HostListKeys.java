package io.inkan.dataset;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys OpenDKIM's {@code dkimf_checkhost()} and {@code dkimf_checkip()} (opendkim/util.c) ask a
 * host-list data set for, in their order. Each key is asked first with a leading {@code !}: if the
 * negated key exists the answer is "no", else if the plain key exists it is "yes", else the next
 * key is tried.
 *
 * <ul>
 *   <li>Host name: the name, then each suffix starting at a dot ({@code mail.example.com}, {@code
 *       .example.com}, {@code .com}).
 *   <li>Address: its text ({@code 192.0.2.1}, {@code 2001:db8::1}), the same in square brackets,
 *       then for each prefix length from the longest (32 or 128) down to 0 the network address with
 *       that length ({@code 192.0.2.1/32} ... {@code 192.0.2.0/24} ... {@code 0.0.0.0/0}), each
 *       also as {@code [192.0.2.0]/24}.
 * </ul>
 *
 * <p>Text forms are those of {@code inet_ntop()}: dotted decimal, and IPv6 in lower case with the
 * longest run of two or more zero groups written {@code ::} (RFC 5952 §4.2). Host names are asked
 * in lower case without a trailing dot (OpenDKIM lower-cases them at connect). An IPv4-mapped IPv6
 * client ({@code ::ffff:192.0.2.1}) is asked for as the IPv4 client it is (RFC 4291 §2.5.5.2), as
 * {@link HostList} matches it.
 */
final class HostListKeys {
  private HostListKeys() {}

  /** The keys for a host name, in order; none for a name that is empty or in brackets. */
  static List<String> forName(String hostname) {
    List<String> keys = new ArrayList<>();
    if (hostname == null || hostname.isEmpty() || hostname.charAt(0) == '[') {
      return keys;
    }
    String host = HostEntry.foldName(hostname);
    for (int dot = 0; dot >= 0 && dot < host.length(); dot = host.indexOf('.', dot + 1)) {
      keys.add(dot == 0 ? host : host.substring(dot));
    }
    return keys;
  }

  /** The keys for an address, in order (2 + 2 × 33 for IPv4, 2 + 2 × 129 for IPv6). */
  static List<String> forAddress(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet6Address && isMapped(b)) {
      b = new byte[] {b[12], b[13], b[14], b[15]};
    }
    List<String> keys = new ArrayList<>(2 + 2 * (b.length * 8 + 1));
    String text = text(b);
    keys.add(text);
    keys.add("[" + text + "]");
    byte[] net = b.clone();
    for (int len = b.length * 8; len >= 0; len--) {
      if (len < b.length * 8) {
        net[len / 8] &= (byte) ~(1 << (7 - len % 8));
      }
      String n = text(net);
      keys.add(n + "/" + len);
      keys.add("[" + n + "]/" + len);
    }
    return keys;
  }

  private static boolean isMapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  /** {@code inet_ntop()}'s text of a 4- or 16-byte address. */
  static String text(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestBase = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (words[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && words[i] == 0) {
        i++;
      }
      if (i - start > bestLen) {
        bestBase = start;
        bestLen = i - start;
      }
    }
    if (bestLen < 2) {
      bestBase = -1;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
        if (i == bestBase) {
          sb.append(':');
        }
        continue;
      }
      if (i != 0) {
        sb.append(':');
      }
      if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
        // glibc writes IPv4-compatible and -mapped addresses with a dotted quad
        sb.append(text(new byte[] {b[12], b[13], b[14], b[15]}));
        return sb.toString();
      }
      sb.append(Integer.toHexString(words[i]));
    }
    if (bestBase >= 0 && bestBase + bestLen == 8) {
      sb.append(':');
    }
    return sb.toString();
  }
}
