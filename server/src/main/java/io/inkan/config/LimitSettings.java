package io.inkan.config;

/**
 * Resource limits: OpenDKIM's {@code MaximumHeaders}, and Inkan's {@code MilterMaxConnections} and
 * {@code MilterMessageDeadline}.
 *
 * @param maximumHeaders header bytes a message may carry before On-Security applies
 *     (opendkim.conf(5) default 65536; 0 removes the limit)
 * @param maxConnections MTA connections served at once; more are closed at once (default 1024)
 * @param messageDeadlineSeconds seconds an end-of-message answer may take before the MTA gets
 *     tempfail (default 10, well under Postfix's 30 s {@code milter_command_timeout})
 */
public record LimitSettings(int maximumHeaders, int maxConnections, int messageDeadlineSeconds) {
  public static final LimitSettings DEFAULTS = new LimitSettings(65536, 1024, 10);
}
