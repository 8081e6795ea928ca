package io.inkan.dataset;

/**
 * A remote data set (SQL, LDAP, a database that is locked or gone) cannot answer now. This is not a
 * miss: the caller applies On-InternalError (default tempfail), so mail that should be signed is
 * never sent unsigned because a directory was down. The message names the data set, never a
 * password.
 */
public final class DataSetUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataSetUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
