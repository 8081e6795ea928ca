package io.inkan.dataset;

import io.inkan.dataset.je.JeDataSet;
import io.inkan.dataset.ldap.LdapDataSet;
import io.inkan.dataset.sql.SqlDataSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Parses an OpenDKIM data set specification (opendkim(8), DATA SETS) into a {@link DataSet}.
 *
 * <p>The type comes from the text before the first colon, unless a comma comes first (so {@code
 * 192.0.2.1,::1} is a list, not a type "192.0.2.1,"), compared without case, exactly as {@code
 * dkimf_db_open()} in opendkim-db.c decides:
 *
 * <ul>
 *   <li>{@code file:PATH} — a flat file (see {@link DataSetFiles}); keys compare exactly or
 *       ignoring ASCII case as the caller asks;
 *   <li>{@code refile:PATH} — the same layout, keys are {@code *} patterns tried in file order;
 *   <li>{@code csl:LIST} — a comma-separated list; an element {@code x=y} is key {@code x} with
 *       value {@code y}, any other element is a key without value; spaces around both are trimmed;
 *   <li>{@code db:PATH} — a Berkeley DB Java Edition environment ({@link JeDataSet});
 *   <li>{@code dsn:BACKEND://...} — an SQL table over JDBC ({@link SqlDataSet});
 *   <li>{@code ldap:}, {@code ldaps:}, {@code ldapi:} URLs — LDAP searches ({@link LdapDataSet});
 *   <li>no type: a string ending in {@code .db} is a Berkeley DB, one starting with {@code /} is a
 *       flat file, anything else is a comma-separated list. Like OpenDKIM, a relative path such as
 *       {@code ./hosts} without {@code file:} is therefore a one-element list, not a file;
 *   <li>the other types OpenDKIM knows ({@code lua:}, {@code memcache:}, {@code mdb:}, {@code
 *       erlang:}, {@code socket:}, {@code repute:}) fail with "not supported"; any other type fails
 *       as unknown.
 * </ul>
 *
 * <p>One Inkan extension: OpenDKIM rejects a list that starts with an IPv6 address ({@code
 * ::1,127.0.0.1} or {@code 2001:db8::/32}) as an "Unknown database type"; Inkan reads a list whose
 * text before the first colon is empty or hexadecimal (possibly after {@code !} or {@code [}) as a
 * comma-separated list.
 */
public final class DataSets {
  private static final Set<String> NOT_YET =
      Set.of("lua", "memcache", "mdb", "erlang", "socket", "repute");

  private DataSets() {}

  /**
   * Parses {@code spec}, declared at {@code sourceFile:sourceLine}, with keys compared ignoring
   * ASCII case (OpenDKIM's {@code DKIMF_DB_FLAG_ICASE}, used for host lists and SigningTable).
   */
  public static DataSet parse(String spec, String sourceFile, int sourceLine)
      throws DataSetException {
    return parse(spec, sourceFile, sourceLine, KeyCase.INSENSITIVE);
  }

  /** Parses {@code spec}, declared at {@code sourceFile:sourceLine}, comparing keys as told. */
  public static DataSet parse(String spec, String sourceFile, int sourceLine, KeyCase keyCase)
      throws DataSetException {
    return parse(spec, sourceFile, sourceLine, keyCase, DataSetOptions.DEFAULTS);
  }

  /**
   * Parses {@code spec}; remote sets ({@code db:}, {@code dsn:}, {@code ldap:}) connect with {@code
   * options}, and every set counts its lookups in {@link DataSetOptions#metrics()} when there are
   * any ({@link MeteredDataSet}).
   */
  public static DataSet parse(
      String spec, String sourceFile, int sourceLine, KeyCase keyCase, DataSetOptions options)
      throws DataSetException {
    Objects.requireNonNull(options, "options");
    DataSet set = open(spec, sourceFile, sourceLine, keyCase, options);
    return options.metrics() == DataSetMetrics.NONE
        ? set
        : new MeteredDataSet(set, kind(spec), options.metrics());
  }

  /**
   * The backend type of a specification that parsed, as a tag: {@code file}, {@code refile}, {@code
   * csl}, {@code db}, {@code dsn} or {@code ldap} (for {@code ldaps:} too).
   */
  static String kind(String spec) {
    int colon = spec.indexOf(':');
    int comma = spec.indexOf(',');
    if (colon < 0 || (comma >= 0 && comma < colon)) {
      return spec.endsWith(".db") ? "db" : spec.startsWith("/") ? "file" : "csl";
    }
    String type = KeyCase.asciiLower(spec.substring(0, colon));
    switch (type) {
      case "file", "refile", "db", "dsn":
        return type;
      case "ldap", "ldaps", "ldapi":
        return "ldap";
      default:
        return "csl"; // csl: or a list starting with an IPv6 address
    }
  }

  private static DataSet open(
      String spec, String sourceFile, int sourceLine, KeyCase keyCase, DataSetOptions options)
      throws DataSetException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(keyCase, "keyCase");
    Source at = new Source(Objects.requireNonNull(sourceFile, "sourceFile"), sourceLine);
    int colon = spec.indexOf(':');
    int comma = spec.indexOf(',');
    if (colon >= 0 && comma >= 0 && comma < colon) {
      colon = -1;
    }
    if (colon < 0) {
      if (spec.endsWith(".db")) {
        return JeDataSet.open(spec, at, keyCase, options);
      }
      if (spec.startsWith("/")) {
        return new ListDataSet(spec, at, keyCase, DataSetFiles.read(spec, at, spec));
      }
      return new ListDataSet(spec, at, keyCase, csl(spec, at, spec));
    }
    String type = KeyCase.asciiLower(spec.substring(0, colon));
    String rest = spec.substring(colon + 1);
    switch (type) {
      case "csl":
        return new ListDataSet(spec, at, keyCase, csl(spec, at, rest));
      case "file":
        return new ListDataSet(
            spec, at, keyCase, DataSetFiles.read(spec, at, path(spec, at, rest)));
      case "refile":
        return new PatternDataSet(
            spec, at, keyCase, DataSetFiles.read(spec, at, path(spec, at, rest)));
      case "db":
        return JeDataSet.open(spec, at, keyCase, options);
      case "dsn":
        return SqlDataSet.open(spec, at, keyCase, options);
      case "ldap":
      case "ldaps":
      case "ldapi":
        return LdapDataSet.open(spec, at, keyCase, options);
      default:
        if (NOT_YET.contains(type)) {
          throw notYet(spec, at, type);
        }
        if (looksLikeAddress(type)) {
          return new ListDataSet(spec, at, keyCase, csl(spec, at, spec));
        }
        throw new DataSetException(
            at,
            null,
            spec,
            "unknown data set type \""
                + type
                + ":\" (expected file:, refile:, csl:, a path starting with /, or a list)");
    }
  }

  private static DataSetException notYet(String spec, Source at, String type) {
    return new DataSetException(
        at,
        null,
        spec,
        "data set type \""
            + type
            + ":\" is not supported; use file:, refile:, csl:, db:, dsn: or ldap:");
  }

  private static String path(String spec, Source at, String rest) throws DataSetException {
    if (rest.isEmpty()) {
      throw new DataSetException(at, null, spec, "no file name after the type");
    }
    return rest;
  }

  private static boolean looksLikeAddress(String beforeColon) {
    String s = beforeColon.startsWith("!") ? beforeColon.substring(1) : beforeColon;
    s = s.startsWith("[") ? s.substring(1) : s;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** A comma-separated list, as the {@code DKIMF_DB_TYPE_CSL} case of {@code dkimf_db_open()}. */
  private static List<DataSetEntry> csl(String spec, Source at, String list)
      throws DataSetException {
    List<DataSetEntry> out = new ArrayList<>();
    int start = 0;
    while (start <= list.length()) {
      int end = list.indexOf(',', start);
      if (end < 0) {
        end = list.length();
      }
      String element = list.substring(start, end);
      int eq = element.indexOf('=');
      String key = DataSetFiles.trim(eq < 0 ? element : element.substring(0, eq));
      if (eq >= 0 && key.isEmpty()) {
        throw new DataSetException(
            at, null, spec, "list element \"" + element + "\" has a value but no key");
      }
      if (!key.isEmpty()) {
        String value = eq < 0 ? null : DataSetFiles.trim(element.substring(eq + 1));
        out.add(new DataSetEntry(key, value, at));
      }
      start = end + 1;
    }
    return out;
  }
}
