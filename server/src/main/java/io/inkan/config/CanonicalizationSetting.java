package io.inkan.config;

import java.util.Locale;

/**
 * {@code Canonicalization HEADER[/BODY]} (RFC 6376 §3.4); a single value sets the header
 * canonicalization and leaves the body {@code simple}, as OpenDKIM does.
 */
public record CanonicalizationSetting(Method header, Method body) {

  /** RFC 6376 §3.4 canonicalization algorithms. */
  public enum Method {
    SIMPLE,
    RELAXED;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final CanonicalizationSetting DEFAULT =
      new CanonicalizationSetting(Method.SIMPLE, Method.SIMPLE);

  static CanonicalizationSetting parse(ConfigLine line) throws ConfigException {
    String v = line.value();
    int slash = v.indexOf('/');
    Method header = method(line, slash < 0 ? v : v.substring(0, slash));
    Method body = slash < 0 ? Method.SIMPLE : method(line, v.substring(slash + 1));
    return new CanonicalizationSetting(header, body);
  }

  private static Method method(ConfigLine line, String s) throws ConfigException {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "simple" -> Method.SIMPLE;
      case "relaxed" -> Method.RELAXED;
      default -> throw line.fail("simple, relaxed, or HEADER/BODY of those (e.g. relaxed/simple)");
    };
  }

  @Override
  public String toString() {
    return header + "/" + body;
  }
}
