package io.inkan.config;

import java.util.Optional;

/** {@code UserID user[:group]}: whom to become when started as root. */
public record UserId(String user, Optional<String> group) {

  static UserId parse(ConfigLine line) throws ConfigException {
    String v = line.value();
    int colon = v.indexOf(':');
    String user = colon < 0 ? v : v.substring(0, colon);
    String group = colon < 0 ? null : v.substring(colon + 1);
    if (!name(user) || (group != null && !name(group))) {
      throw line.fail("user or user:group");
    }
    return new UserId(user, Optional.ofNullable(group));
  }

  private static boolean name(String s) {
    return !s.isEmpty() && s.chars().noneMatch(c -> c <= ' ' || c == ':' || c == 0x7f);
  }
}
