package io.inkan.config;

/**
 * How to verify. {@code maximumSignaturesToVerify} 0 means no limit and {@code minimumKeyBits} 0
 * accepts any key, as in OpenDKIM; {@code authservId} {@value #HOSTNAME} stands for the host name.
 * {@code acceptSha1} is Inkan's switch for rsa-sha1 signatures (RFC 8301 §3.1), default off.
 */
public record VerifySettings(
    int minimumKeyBits,
    int maximumSignaturesToVerify,
    int clockDriftSeconds,
    String authservId,
    boolean alwaysAddArHeader,
    boolean acceptSha1) {

  public static final String HOSTNAME = "HOSTNAME";

  /** The authserv-id to write: the configured one, or {@code hostName} for {@value #HOSTNAME}. */
  public String authservId(String hostName) {
    return HOSTNAME.equals(authservId) ? hostName : authservId;
  }
}
