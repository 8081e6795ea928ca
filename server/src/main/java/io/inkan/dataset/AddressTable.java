package io.inkan.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IP entries of a host list as 128-bit networks (IPv4 as {@code ::ffff:0:0/96}-mapped), grouped by
 * prefix length and sorted, so a lookup is at most one binary search per prefix length present and
 * allocates nothing.
 */
final class AddressTable {
  static final int NONE = -1;
  static final int EXCLUDED = 0;
  static final int INCLUDED = 1;

  private final int[] lengths;
  private final long[][] included;
  private final long[][] excluded;

  private AddressTable(int[] lengths, long[][] included, long[][] excluded) {
    this.lengths = lengths;
    this.included = included;
    this.excluded = excluded;
  }

  /** Collects networks; {@code hi}/{@code lo} must already be masked to {@code prefix}. */
  static final class Builder {
    private final List<List<long[]>> plus = new ArrayList<>();
    private final List<List<long[]>> minus = new ArrayList<>();

    Builder() {
      for (int i = 0; i <= 128; i++) {
        plus.add(new ArrayList<>());
        minus.add(new ArrayList<>());
      }
    }

    void add(long hi, long lo, int prefix, boolean negated) {
      (negated ? minus : plus).get(prefix).add(new long[] {hi, lo});
    }

    AddressTable build() {
      int[] lengths = new int[129];
      int n = 0;
      long[][] inc = new long[129][];
      long[][] exc = new long[129][];
      for (int len = 128; len >= 0; len--) {
        inc[len] = pack(plus.get(len));
        exc[len] = pack(minus.get(len));
        if (inc[len].length > 0 || exc[len].length > 0) {
          lengths[n++] = len;
        }
      }
      return new AddressTable(Arrays.copyOf(lengths, n), inc, exc);
    }

    private static long[] pack(List<long[]> nets) {
      nets.sort(
          (a, b) ->
              a[0] != b[0] ? Long.compareUnsigned(a[0], b[0]) : Long.compareUnsigned(a[1], b[1]));
      long[] out = new long[nets.size() * 2];
      for (int i = 0; i < nets.size(); i++) {
        out[2 * i] = nets.get(i)[0];
        out[2 * i + 1] = nets.get(i)[1];
      }
      return out;
    }
  }

  /**
   * The verdict of the most specific entries covering {@code hi:lo}, trying prefix lengths from
   * longest down to {@code minPrefix}; at equal length an exclusion wins, as in OpenDKIM's {@code
   * dkimf_checkip()} (util.c), which probes {@code !addr/len} before {@code addr/len} from the full
   * length down to 0.
   */
  int lookup(long hi, long lo, int minPrefix) {
    for (int len : lengths) {
      if (len < minPrefix) {
        break;
      }
      long h = hi & IpText.maskHi(len);
      long l = lo & IpText.maskLo(len);
      if (contains(excluded[len], h, l)) {
        return EXCLUDED;
      }
      if (contains(included[len], h, l)) {
        return INCLUDED;
      }
    }
    return NONE;
  }

  boolean isEmpty() {
    return lengths.length == 0;
  }

  private static boolean contains(long[] pairs, long hi, long lo) {
    int low = 0;
    int high = pairs.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = Long.compareUnsigned(pairs[2 * mid], hi);
      if (c == 0) {
        c = Long.compareUnsigned(pairs[2 * mid + 1], lo);
      }
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }
}
