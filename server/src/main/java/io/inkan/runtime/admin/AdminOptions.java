package io.inkan.runtime.admin;

import io.inkan.config.AdminSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The admin endpoint's settings with the token read: made once at start-up (as root, before
 * privileges are dropped, like the private keys).
 *
 * @param host the address to bind
 * @param port the port (0: any free one)
 * @param token the bearer token every request but {@code /health/live} must carry; empty: none
 * @param tlsCertificate PEM certificate chain; with {@code tlsKey}, HTTPS only
 * @param tlsKey PEM private key
 */
public record AdminOptions(
    String host,
    int port,
    Optional<String> token,
    Optional<Path> tlsCertificate,
    Optional<Path> tlsKey) {

  /** Shortest token accepted: guessing must be hopeless. */
  static final int MIN_TOKEN_LENGTH = 16;

  private static final Set<PosixFilePermission> OPEN =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  /** Never prints the token. */
  @Override
  public String toString() {
    return "AdminOptions["
        + host
        + ":"
        + port
        + (token.isPresent() ? ", token" : "")
        + (tlsKey.isPresent() ? ", tls" : "")
        + "]";
  }

  /**
   * The endpoint of a configuration; empty when {@code AdminListen} is absent.
   *
   * @throws IOException naming the file at fault: a token file that is missing, readable or
   *     writable by group or others, empty or too short; a TLS file that cannot be read
   */
  public static Optional<AdminOptions> of(AdminSettings settings) throws IOException {
    if (settings.listen().isEmpty()) {
      return Optional.empty();
    }
    AdminSettings.Listen listen = settings.listen().get();
    Optional<String> token =
        settings.tokenFile().isPresent()
            ? Optional.of(readToken(settings.tokenFile().get()))
            : Optional.empty();
    for (Optional<Path> p : java.util.List.of(settings.tlsCertificate(), settings.tlsKey())) {
      if (p.isPresent() && !Files.isReadable(p.get())) {
        throw new IOException("AdminTls file " + p.get() + " cannot be read");
      }
    }
    return Optional.of(
        new AdminOptions(
            listen.host(), listen.port(), token, settings.tlsCertificate(), settings.tlsKey()));
  }

  /** The first line of {@code file}, stripped; the file must be private to its owner. */
  static String readToken(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("AdminTokenFile " + file + " is not a readable file");
    }
    PosixFileAttributeView view =
        Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view != null) {
      Set<PosixFilePermission> perms = view.readAttributes().permissions();
      if (perms.stream().anyMatch(OPEN::contains)) {
        throw new IOException(
            "AdminTokenFile "
                + file
                + " may be read or written by group or others ("
                + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                + "); chmod 600 it");
      }
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int eol = text.indexOf('\n');
    String token = (eol < 0 ? text : text.substring(0, eol)).strip();
    if (token.length() < MIN_TOKEN_LENGTH || token.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
      throw new IOException(
          "AdminTokenFile "
              + file
              + ": expected one line of at least "
              + MIN_TOKEN_LENGTH
              + " printable characters without blanks (e.g. from openssl rand -hex 32)");
    }
    return token;
  }
}
