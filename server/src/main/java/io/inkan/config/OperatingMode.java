package io.inkan.config;

/**
 * {@code Mode}: any string of {@code s} (sign) and {@code v} (verify); OpenDKIM's default is sv.
 */
public record OperatingMode(boolean sign, boolean verify) {

  public static final OperatingMode SIGN_AND_VERIFY = new OperatingMode(true, true);

  static OperatingMode parse(ConfigLine line) throws ConfigException {
    boolean sign = false;
    boolean verify = false;
    for (char c : line.value().toCharArray()) {
      switch (c) {
        case 's' -> sign = true;
        case 'v' -> verify = true;
        default -> throw line.fail("s, v or sv");
      }
    }
    return new OperatingMode(sign, verify);
  }

  @Override
  public String toString() {
    return (sign ? "s" : "") + (verify ? "v" : "");
  }
}
