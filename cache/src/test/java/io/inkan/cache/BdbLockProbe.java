package io.inkan.cache;

import java.nio.file.Path;

/** Run in a second JVM: tries to open a JE cache directory another process holds. */
public final class BdbLockProbe {
  static final int LOCKED = 3;

  private BdbLockProbe() {}

  public static void main(String[] args) {
    try (BdbQueryCache cache = BdbQueryCache.builder(Path.of(args[0])).open()) {
      System.out.println("opened " + cache.directory());
      System.exit(0);
    } catch (CacheSetupException e) {
      System.out.println(e.getMessage());
      System.exit(LOCKED);
    }
  }
}
