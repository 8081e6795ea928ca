package io.inkan.cache;

/**
 * A cache could not be opened: a bad secret file, a locked or unusable JE directory. Thrown only
 * when a cache is built, never from a lookup.
 */
public final class CacheSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CacheSetupException(String message) {
    super(message);
  }

  public CacheSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
