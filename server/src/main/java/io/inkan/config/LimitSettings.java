package io.inkan.config;

/**
 * Resource limits: OpenDKIM's {@code MaximumHeaders}, and Inkan's {@code MilterMaxConnections},
 * {@code MilterMessageDeadline} and {@code KeyHealthInterval}.
 *
 * @param maximumHeaders header bytes a message may carry before On-Security applies
 *     (opendkim.conf(5) default 65536; 0 removes the limit)
 * @param maxConnections MTA connections served at once; more are closed at once (default 1024)
 * @param messageDeadlineSeconds seconds an end-of-message answer may take before the MTA gets
 *     tempfail (default 10, well under Postfix's 30 s {@code milter_command_timeout})
 * @param keyHealthIntervalSeconds seconds between the daemon's checks that each key's published
 *     record still matches it (default 3600; 0 turns the check off)
 */
public record LimitSettings(
    int maximumHeaders,
    int maxConnections,
    int messageDeadlineSeconds,
    int keyHealthIntervalSeconds) {
  public static final LimitSettings DEFAULTS = new LimitSettings(65536, 1024, 10, 3600);

  /** The limits with the default key-health interval. */
  public LimitSettings(int maximumHeaders, int maxConnections, int messageDeadlineSeconds) {
    this(maximumHeaders, maxConnections, messageDeadlineSeconds, 3600);
  }
}
