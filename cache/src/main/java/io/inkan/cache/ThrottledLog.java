package io.inkan.cache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs a recurring backend failure at most once per interval, so an outage cannot flood logs. */
final class ThrottledLog {
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final Logger log;
  private final AtomicLong last = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
  private final AtomicLong suppressed = new AtomicLong();

  ThrottledLog(Logger log) {
    this.log = log;
  }

  void warn(String message, Throwable cause) {
    long now = System.nanoTime();
    long prev = last.get();
    if (now - prev >= INTERVAL_NANOS && last.compareAndSet(prev, now)) {
      long skipped = suppressed.getAndSet(0);
      String detail = cause == null ? "" : ": " + cause;
      String more = skipped == 0 ? "" : " (" + skipped + " similar messages suppressed)";
      log.warn("{}{}{}", message, detail, more);
    } else {
      suppressed.incrementAndGet();
    }
  }
}
