package io.inkan.keys.ldap;

import io.inkan.dataset.DataSetUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers domains' keys, found ones for one time-to-live and "no keys" for another (0: not
 * remembered), at most {@code maxDomains}, oldest first out, like {@link
 * io.inkan.dataset.CachedDataSet}. Concurrent lookups of a domain that is not remembered share one
 * directory search (single flight). "Unavailable" is never remembered, so a directory that cannot
 * be reached is served from memory until each answer's time-to-live ends, and fails after.
 *
 * <p>A change notification forgets the domain, and makes a search already under way for it forget
 * its answer instead of remembering it: it may have read the entry before the change.
 */
final class CachedKeyLookup implements KeyLookup {
  private volatile Runnable onChange = () -> {};

  private record Answer(DomainKeys keys, long expiresAt) {}

  /** One search under way; {@code stale} once a change to its domain arrived meanwhile. */
  private static final class Flight {
    final CompletableFuture<DomainKeys> result = new CompletableFuture<>();
    boolean stale; // guarded by answers
  }

  private final KeyLookup inner;
  private final long hitNanos;
  private final long missNanos;
  private final LongSupplier clock;
  private final Map<String, Answer> answers; // guarded by itself
  private final Map<UUID, String> domainsByEntry = new HashMap<>(); // guarded by answers
  private final Map<String, Flight> inFlight = new ConcurrentHashMap<>();

  CachedKeyLookup(
      KeyLookup inner, Duration hitTtl, Duration missTtl, int maxDomains, LongSupplier clock) {
    if (hitTtl.isNegative() || missTtl.isNegative() || maxDomains < 1) {
      throw new IllegalArgumentException("TTLs must be >= 0 and maxDomains >= 1");
    }
    this.inner = inner;
    this.hitNanos = hitTtl.toNanos();
    this.missNanos = missTtl.toNanos();
    this.clock = clock;
    this.answers =
        new LinkedHashMap<>(1024) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
            if (size() <= maxDomains) {
              return false;
            }
            unindex(eldest.getKey(), eldest.getValue());
            return true;
          }
        };
  }

  @Override
  public DomainKeys lookup(String domain) {
    Answer known = remembered(domain);
    if (known != null) {
      return known.keys();
    }
    Flight mine = new Flight();
    Flight running = inFlight.putIfAbsent(domain, mine);
    if (running != null) {
      return await(running);
    }
    try {
      known = remembered(domain); // another search may have finished since the first look
      DomainKeys keys = known != null ? known.keys() : inner.lookup(domain);
      remember(domain, keys, mine);
      mine.result.complete(keys);
      return keys;
    } catch (RuntimeException | Error e) {
      mine.result.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(domain, mine);
    }
  }

  private static DomainKeys await(Flight running) {
    try {
      return running.result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof DataSetUnavailableException u) {
        throw new DataSetUnavailableException(u.getMessage(), u);
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private Answer remembered(String domain) {
    synchronized (answers) {
      Answer a = answers.get(domain);
      if (a != null && a.expiresAt() - clock.getAsLong() <= 0) {
        answers.remove(domain);
        unindex(domain, a);
        return null;
      }
      return a;
    }
  }

  private void remember(String domain, DomainKeys keys, Flight flight) {
    long ttl = keys.isEmpty() ? missNanos : hitNanos;
    synchronized (answers) {
      if (ttl <= 0 || flight.stale) {
        return;
      }
      Answer old = answers.remove(domain);
      if (old != null) {
        unindex(domain, old);
      }
      answers.put(domain, new Answer(keys, clock.getAsLong() + ttl));
      for (UUID id : keys.entryIds()) {
        domainsByEntry.put(id, domain);
      }
    }
  }

  private void unindex(String domain, Answer answer) {
    for (UUID id : answer.keys().entryIds()) {
      domainsByEntry.remove(id, domain);
    }
  }

  /** Called after every change the directory reported (to tell other nodes); replaces the last. */
  void onChange(Runnable listener) {
    this.onChange = listener;
  }

  @Override
  public void forget(String domain) {
    forgetLocally(domain);
    onChange.run();
  }

  private void forgetLocally(String domain) {
    synchronized (answers) {
      Answer old = answers.remove(domain);
      if (old != null) {
        unindex(domain, old);
      }
      Flight flight = inFlight.remove(domain);
      if (flight != null) {
        flight.stale = true;
      }
    }
  }

  @Override
  public void forget(UUID entryId) {
    String domain;
    synchronized (answers) {
      domain = domainsByEntry.get(entryId);
    }
    if (domain != null) {
      forgetLocally(domain);
    }
    onChange.run();
  }

  @Override
  public void forgetAll() {
    synchronized (answers) {
      answers.clear();
      domainsByEntry.clear();
      for (Flight flight : inFlight.values()) {
        flight.stale = true;
      }
      inFlight.clear();
    }
    onChange.run();
  }

  /** How many domains are remembered now (for tests). */
  int size() {
    synchronized (answers) {
      return answers.size();
    }
  }
}
