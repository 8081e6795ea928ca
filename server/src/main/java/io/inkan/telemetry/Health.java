package io.inkan.telemetry;

import java.util.Objects;

/**
 * One readiness probe's answer.
 *
 * @param up whether the dependency answered as expected
 * @param detail a short line for operators ("bound to dc=example,dc=com", "timeout after 2 s"),
 *     never a password or a key
 */
public record Health(boolean up, String detail) {
  public Health {
    Objects.requireNonNull(detail, "detail");
  }

  public static Health up(String detail) {
    return new Health(true, detail);
  }

  public static Health down(String detail) {
    return new Health(false, detail);
  }
}
