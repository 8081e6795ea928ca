package io.inkan.config;

import java.util.Locale;

/**
 * An unresolved OpenDKIM data set ({@code opendkim(8)}, DATA SETS), kept with the line that named
 * it so the data-set layer can report errors the same way. Paths inside are not resolved here.
 */
public record DataSetRef(String spec, String file, int line) {

  /** The kinds of data set OpenDKIM recognises, by prefix. */
  public enum Kind {
    FILE,
    REFILE,
    CSL,
    DB,
    DSN,
    LDAP,
    LUA,
    MEMCACHE,
    ERLANG,
    MDB
  }

  /**
   * The kind, by OpenDKIM's rules: a known prefix ({@code file:}, {@code refile:}, {@code csl:},
   * {@code db:}, {@code dsn:}, {@code ldap:}/{@code ldaps:}/{@code ldapi:}, {@code lua:}, {@code
   * memcache:}, {@code erlang:}, {@code mdb:}); else a name ending in {@code .db} is a DB, a name
   * starting with {@code /} a flat file, and anything else a comma-separated list.
   */
  public Kind kind() {
    String lower = spec.toLowerCase(Locale.ROOT);
    if (lower.startsWith("ldap:") || lower.startsWith("ldaps:") || lower.startsWith("ldapi:")) {
      return Kind.LDAP;
    }
    int colon = spec.indexOf(':');
    if (colon > 0) {
      switch (lower.substring(0, colon)) {
        case "file":
          return Kind.FILE;
        case "refile":
          return Kind.REFILE;
        case "csl":
          return Kind.CSL;
        case "db":
          return Kind.DB;
        case "dsn":
          return Kind.DSN;
        case "lua":
          return Kind.LUA;
        case "memcache":
          return Kind.MEMCACHE;
        case "erlang":
          return Kind.ERLANG;
        case "mdb":
          return Kind.MDB;
        default:
          break;
      }
    }
    if (lower.endsWith(".db")) {
      return Kind.DB;
    }
    return spec.startsWith("/") ? Kind.FILE : Kind.CSL;
  }

  /**
   * The part after the type prefix ({@code file:x} gives {@code x}); the whole spec for LDAP URLs
   * and for specs without a prefix.
   */
  public String body() {
    Kind kind = kind();
    if (kind == Kind.LDAP) {
      return spec;
    }
    String prefix = kind.name().toLowerCase(Locale.ROOT) + ":";
    return spec.regionMatches(true, 0, prefix, 0, prefix.length())
        ? spec.substring(prefix.length())
        : spec;
  }
}
