package io.inkan.runtime.admin;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Lets a request through when it carries the admin token: {@code Authorization: Bearer TOKEN}
 * (scripts, Prometheus' {@code authorization} setting) or the session cookie a browser gets from
 * {@code POST /login} (the dashboard). The cookie holds the token's SHA-256, never the token, and
 * is {@code HttpOnly}, {@code SameSite=Strict}, and {@code Secure} under TLS. Everything else gets
 * 401: the login form for a browser, JSON otherwise.
 */
final class BearerAuth implements Handler<RoutingContext> {
  static final String COOKIE = "inkan_admin";

  private final byte[] token;
  private final byte[] cookie;
  private final boolean secure;
  private final Buffer loginPage;

  BearerAuth(String token, boolean secure, Buffer loginPage) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
    this.cookie = hex(this.token).getBytes(StandardCharsets.US_ASCII);
    this.secure = secure;
    this.loginPage = loginPage;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (authorized(ctx)) {
      ctx.next();
    } else {
      deny(ctx, "");
    }
  }

  /**
   * {@code POST /login} with the form field {@code token}: sets the cookie and goes to {@code /}.
   */
  void login(RoutingContext ctx) {
    String given = ctx.request().getFormAttribute("token");
    if (given == null
        || !MessageDigest.isEqual(token, given.strip().getBytes(StandardCharsets.US_ASCII))) {
      deny(ctx, "wrong token");
      return;
    }
    Cookie c =
        Cookie.cookie(COOKIE, new String(cookie, StandardCharsets.US_ASCII))
            .setPath("/")
            .setHttpOnly(true)
            .setSecure(secure)
            .setSameSite(CookieSameSite.STRICT);
    ctx.response().addCookie(c).setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/").end();
  }

  private boolean authorized(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      byte[] given = header.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(token, given);
    }
    Cookie c = ctx.request().getCookie(COOKIE);
    return c != null
        && MessageDigest.isEqual(cookie, c.getValue().getBytes(StandardCharsets.US_ASCII));
  }

  private void deny(RoutingContext ctx, String why) {
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"inkan\"");
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html")) {
      String page = loginPage.toString(StandardCharsets.UTF_8).replace("{{why}}", why);
      AdminServer.secureHeaders(ctx.response())
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
          .end(page);
    } else {
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end("{\"error\":\"unauthorized\"}");
    }
  }

  private static String hex(byte[] token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
