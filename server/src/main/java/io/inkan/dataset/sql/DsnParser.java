package io.inkan.dataset.sql;

import io.inkan.dataset.DataSetException;
import io.inkan.dataset.Source;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses OpenDKIM's data store name (opendkim(8), DATA SETS d; {@code dkimf_db_open()} in
 * opendkim-db.c):
 *
 * <pre>dsn:BACKEND://[USER[:PASS]@][PORT+]HOST/DB/table=T?keycol=K?datacol=A,B[?filter=F]</pre>
 *
 * <p>No value may contain {@code : / @ + ? =} as such; as the manual says, write them
 * quoted-printable ({@code =40} for {@code @}, {@code =3D} for {@code =}). Every value is decoded,
 * which OpenDKIM's code does only for the filter. Like that code, a {@code =} in a {@code
 * key=value} value that does not start two hex digits stays as it is ({@code filter=active=1}
 * works, but {@code filter=n>=10} means byte 0x10: write {@code =3D10}).
 *
 * <p>SQLite ({@code sqlite3}): as with OpenDBX, HOST is the directory and DB the file name, so
 * {@code dsn:sqlite3://=2Fvar=2Flib=2Finkan/keys.db/table=...} opens {@code
 * /var/lib/inkan/keys.db}. Inkan also reads {@code dsn:sqlite3:///var/lib/inkan/keys.db/table=...}:
 * after {@code ///} the path runs to the last {@code /} before the first {@code ?}. A relative path
 * is relative to the working directory. No user, password or port.
 *
 * <p>Stricter than OpenDKIM, which ignores them: an unknown or repeated key and an element without
 * {@code =} are errors. Table and column names must be SQL identifiers (letters, digits and {@code
 * _}, not only digits; the table may be {@code schema.table}), because they are written into the
 * query; the key itself is only ever a bind parameter.
 */
final class DsnParser {
  /** What stands for a password in every message. */
  static final String MASK = "****";

  static final String FORM =
      "dsn:BACKEND://[USER[:PASS]@][PORT+]HOST/DB/table=T?keycol=K?datacol=A,B[?filter=F]";

  private static final String DELIMITERS = ":/@+?";
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$.-]+");

  private final Source at;
  private final String masked;

  private DsnParser(Source at, String masked) {
    this.at = at;
    this.masked = masked;
  }

  /** Parses {@code spec}, the whole text starting with {@code dsn:}. */
  static Dsn parse(String spec, Source at) throws DataSetException {
    return new DsnParser(at, masked(spec)).dsn(spec);
  }

  /**
   * {@code spec} with the password replaced by {@value #MASK}: the text from the first {@code :}
   * after {@code //} (or after {@code dsn:} when {@code //} is missing) to the last {@code @}
   * before the first {@code ?}, or without such an {@code @} to the next {@code /}. Errs towards
   * masking more, and works on malformed text too, so that no message shows a password.
   */
  static String masked(String spec) {
    int query = spec.indexOf('?');
    int limit = query < 0 ? spec.length() : query;
    int scheme = spec.indexOf("://");
    int start = scheme >= 0 && scheme < limit ? scheme + 3 : spec.indexOf(':') + 1;
    int at = spec.lastIndexOf('@', limit - 1);
    int end = at >= start ? at : spec.indexOf('/', start);
    end = end < 0 ? limit : end;
    int colon = start == 0 ? -1 : spec.indexOf(':', start);
    if (colon < 0 || colon >= end) {
      return spec;
    }
    return spec.substring(0, colon + 1) + MASK + spec.substring(end);
  }

  private Dsn dsn(String spec) throws DataSetException {
    if (!spec.regionMatches(true, 0, "dsn:", 0, 4)) {
      throw fail("not a dsn: data set");
    }
    String rest = spec.substring(4);
    int colon = rest.indexOf(':');
    if (colon <= 0) {
      throw fail("no backend; expected " + FORM);
    }
    String name = rest.substring(0, colon);
    SqlBackend backend =
        SqlBackend.named(name)
            .orElseThrow(
                () ->
                    fail(
                        "unknown backend \""
                            + name
                            + "\" (expected mysql, mariadb, pgsql, postgresql or sqlite3)"));
    if (!rest.startsWith("//", colon + 1)) {
      throw fail("expected \"//\" after \"" + name + ":\"; expected " + FORM);
    }
    String body = rest.substring(colon + 3);
    if (backend == SqlBackend.SQLITE && body.startsWith("/")) {
      int query = body.indexOf('?');
      int slash = body.lastIndexOf('/', query < 0 ? body.length() : query);
      String path = value("the database file", body.substring(0, slash), ":@+?");
      return finish(backend, "", "", "", 0, path, body.substring(slash + 1));
    }
    int slash = body.indexOf('/');
    if (slash < 0) {
      throw fail("no \"/\" after the host; expected " + FORM);
    }
    int slash2 = body.indexOf('/', slash + 1);
    if (slash2 < 0) {
      throw fail("no \"/\" after the database name; expected " + FORM);
    }
    String authority = body.substring(0, slash);
    String database = value("the database name", body.substring(slash + 1, slash2), DELIMITERS);
    String user = "";
    String password = "";
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int c = userInfo.indexOf(':');
      user = value("the user name", c < 0 ? userInfo : userInfo.substring(0, c), DELIMITERS);
      password = c < 0 ? "" : value("the password", userInfo.substring(c + 1), DELIMITERS);
    }
    String portText = "";
    int plus = authority.indexOf('+');
    if (plus >= 0) {
      portText = value("the port", authority.substring(0, plus), DELIMITERS);
      authority = authority.substring(plus + 1);
    }
    String host = value("the host", authority, DELIMITERS);
    if (backend == SqlBackend.SQLITE) {
      if (!user.isEmpty() || !password.isEmpty() || !portText.isEmpty()) {
        throw fail("sqlite3 takes no user, password or port");
      }
      String path = host.isEmpty() ? database : host + "/" + database;
      return finish(backend, "", "", "", 0, path, body.substring(slash2 + 1));
    }
    if (host.isEmpty()) {
      throw fail("no host; expected " + FORM);
    }
    if (!HOST.matcher(host).matches()) {
      throw fail("host \"" + host + "\" is not a host name or IP address");
    }
    if (!DATABASE.matcher(database).matches()) {
      throw fail(
          "database name \"" + database + "\" must be letters, digits and _ $ . - (and not empty)");
    }
    return finish(
        backend,
        user,
        password,
        host,
        port(portText, backend),
        database,
        body.substring(slash2 + 1));
  }

  private int port(String text, SqlBackend backend) throws DataSetException {
    if (text.isEmpty()) {
      return backend.defaultPort();
    }
    int port = DIGITS.matcher(text).matches() && text.length() <= 5 ? Integer.parseInt(text) : 0;
    if (port < 1 || port > 65535) {
      throw fail("port \"" + text + "\" is not a number from 1 to 65535");
    }
    return port;
  }

  private Dsn finish(
      SqlBackend backend,
      String user,
      String password,
      String host,
      int port,
      String database,
      String parameters)
      throws DataSetException {
    if (database.isEmpty()) {
      throw fail(backend == SqlBackend.SQLITE ? "no database file" : "no database name");
    }
    if (backend == SqlBackend.SQLITE && (database.indexOf('?') >= 0 || database.indexOf(0) >= 0)) {
      throw fail("the database file name may not contain ? or NUL");
    }
    Map<String, String> p = parameters(parameters);
    String table = required(p, "table");
    int dot = table.indexOf('.');
    if (dot >= 0) {
      identifier("table", table.substring(0, dot), table);
      identifier("table", table.substring(dot + 1), table);
    } else {
      identifier("table", table, table);
    }
    String key = identifier("keycol", required(p, "keycol"), null);
    List<String> data = new ArrayList<>();
    for (String column : required(p, "datacol").split(",", -1)) {
      data.add(identifier("datacol", column.strip(), p.get("datacol")));
    }
    Optional<String> filter = Optional.ofNullable(p.get("filter"));
    if (filter.isPresent() && (filter.get().isBlank() || filter.get().indexOf('?') >= 0)) {
      throw fail("filter= must be an SQL condition without ? (a JDBC parameter marker)");
    }
    return new Dsn(backend, user, password, host, port, database, table, key, data, filter);
  }

  private Map<String, String> parameters(String text) throws DataSetException {
    Map<String, String> out = new HashMap<>();
    for (String element : text.split("\\?", -1)) {
      if (element.isEmpty()) {
        continue;
      }
      int eq = element.indexOf('=');
      if (eq < 0) {
        throw fail("\"" + element + "\" is not key=value; expected " + FORM);
      }
      String name = element.substring(0, eq).toLowerCase(Locale.ROOT);
      if (!List.of("table", "keycol", "datacol", "filter").contains(name)) {
        throw fail(
            "unknown DSN key \""
                + element.substring(0, eq)
                + "\" (expected table, keycol, datacol or filter)");
      }
      if (out.putIfAbsent(name, decode(element.substring(eq + 1))) != null) {
        throw fail(name + "= is given twice");
      }
    }
    return out;
  }

  private String required(Map<String, String> p, String name) throws DataSetException {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      throw fail("no " + name + "= in the DSN; expected " + FORM);
    }
    return v;
  }

  private String identifier(String what, String name, String whole) throws DataSetException {
    if (!IDENTIFIER.matcher(name).matches() || DIGITS.matcher(name).matches()) {
      throw fail(
          what
              + "= \""
              + (whole == null ? name : whole)
              + "\" is not an SQL identifier (letters, digits and _, at most 64, not only digits"
              + (what.equals("table") ? "; optionally schema.table" : "")
              + ")");
    }
    return name;
  }

  /**
   * One DSN part before the {@code key=value} list: none of {@code delimiters}, and {@code =} only
   * as a quoted-printable escape. A message about the password does not say which character.
   */
  private String value(String what, String raw, String delimiters) throws DataSetException {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean escape = c == '=' && hex(raw, i + 1) >= 0 && hex(raw, i + 2) >= 0;
      if (delimiters.indexOf(c) >= 0 || (c == '=' && !escape)) {
        throw fail(
            what
                + (what.equals("the password")
                    ? " contains one of : / @ + ? = as such"
                    : " contains \"" + c + "\"")
                + "; write it quoted-printable (=3A : =2F / =40 @ =2B + =3F ? =3D =)");
      }
    }
    return decode(raw);
  }

  /** Decodes {@code =XX} escapes (as UTF-8 bytes); any other {@code =} stays. */
  static String decode(String text) {
    if (text.indexOf('=') < 0) {
      return text;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); ) {
      int hi = text.charAt(i) == '=' ? hex(text, i + 1) : -1;
      int lo = hi >= 0 ? hex(text, i + 2) : -1;
      if (lo >= 0) {
        out.write(hi * 16 + lo);
        i += 3;
      } else {
        int cp = text.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String s, int i) {
    return i < s.length() ? Character.digit(s.charAt(i), 16) : -1;
  }

  private DataSetException fail(String reason) {
    return new DataSetException(at, null, masked, reason);
  }
}
