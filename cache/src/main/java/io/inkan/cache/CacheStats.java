package io.inkan.cache;

/**
 * Counters of one cache (or one layer). {@code misses} includes {@code expired}, {@code rejected}
 * and {@code otherVersion} lookups, and those that failed ({@code errors} also counts failed puts).
 *
 * @param backend a short name: memory, bdb, memcache or layered
 * @param queries lookups
 * @param hits lookups answered
 * @param misses lookups not answered
 * @param expired lookups that found only an expired entry
 * @param keys entries held now (for memcached: items on the reachable servers)
 * @param errors backend failures and timeouts
 * @param rejected memcached values that failed authentication or were malformed
 * @param otherVersion memcached values written in a format version this node does not read
 */
public record CacheStats(
    String backend,
    long queries,
    long hits,
    long misses,
    long expired,
    long keys,
    long errors,
    long rejected,
    long otherVersion) {

  /** Hits as a whole percentage of queries, rounded down; 0 without queries. */
  public long hitPercent() {
    return queries == 0 ? 0 : hits * 100 / queries;
  }

  /** The line OpenDKIM logs: {@code cache: N queries, N hits (P%), N expired, N keys}. */
  public String toLogLine() {
    return "cache: "
        + queries
        + " queries, "
        + hits
        + " hits ("
        + hitPercent()
        + "%), "
        + expired
        + " expired, "
        + keys
        + " keys";
  }
}
