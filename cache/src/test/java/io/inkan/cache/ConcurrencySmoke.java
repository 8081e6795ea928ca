package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/** Many threads putting and getting overlapping names; fails on any exception or wrong answer. */
final class ConcurrencySmoke {
  private ConcurrencySmoke() {}

  static void run(QueryCache cache, Clock clock, int threads, int opsPerThread) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  ThreadLocalRandom r = ThreadLocalRandom.current();
                  for (int i = 0; i < opsPerThread; i++) {
                    String name = "s" + r.nextInt(2000) + "._domainkey.example";
                    if (r.nextBoolean()) {
                      cache.put(name, Answers.txt(name, Duration.ofMinutes(5), clock));
                    } else {
                      cache.get(name).ifPresent(a -> assertThat(Answers.text(a)).isEqualTo(name));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
