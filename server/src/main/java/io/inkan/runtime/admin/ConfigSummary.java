package io.inkan.runtime.admin;

import io.inkan.config.Config;
import io.inkan.config.DataSetRef;
import io.inkan.config.SigningSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration as {@code /api/status} shows it: what runs where, which data sets of which
 * type, and no secret. Passwords are never shown ({@code LDAPBindPassword} only as "set"), a
 * password in a DSN's user info or a {@code password=}-style parameter becomes {@code ***}, and
 * inline lists ({@code csl:}, which may hold a KeyTable's keys) are shown by size only.
 */
final class ConfigSummary {
  static final String MASK = "***";
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)((?:x-)?bind-?pw|pass(?:word|wd)?|pwd|secret|credentials?)=([^,?&;/ ]*)");
  private static final int MAX_SPEC = 200;

  private ConfigSummary() {}

  static JsonObject of(Config c) {
    SigningSettings s = c.signing();
    JsonObject json =
        new JsonObject()
            .put("mode", c.service().mode().toString())
            .put("socket", c.service().socket().map(x -> x.text()).orElse(null))
            .put("canonicalization", s.canonicalization().toString())
            .put("signatureAlgorithm", s.algorithm().toString())
            .put("authservId", c.verifying().authservId())
            .put("maxConnections", c.limits().maxConnections())
            .put("messageDeadlineSeconds", c.limits().messageDeadlineSeconds())
            .put("dnsTimeoutSeconds", c.dns().timeoutSeconds())
            .put("queryCache", c.dns().queryCache())
            .put(
                "nameservers",
                new JsonArray(c.dns().nameservers().stream().map(Object::toString).toList()));
    JsonObject ldap = new JsonObject().put("useTls", c.dataSets().ldapUseTls());
    c.dataSets().ldapBindUser().ifPresent(u -> ldap.put("bindUser", u));
    ldap.put("bindPassword", c.dataSets().ldapBindPassword().isPresent() ? "set" : "none");
    json.put("ldap", ldap);
    JsonArray sets = new JsonArray();
    add(sets, "Domain", s.domain());
    add(sets, "KeyTable", s.keyTable());
    add(sets, "SigningTable", s.signingTable());
    add(sets, "SigningDirectory", s.signingDirectory());
    add(sets, "DontSignMailTo", s.dontSignMailTo());
    add(sets, "ResignMailTo", s.resignMailTo());
    add(sets, "InternalHosts", Optional.of(c.hosts().internalHosts()));
    add(sets, "ExternalIgnoreList", c.hosts().externalIgnoreList());
    add(sets, "PeerList", c.hosts().peerList());
    add(sets, "MacroList", c.hosts().macroList());
    add(sets, "MTA", c.hosts().mta());
    add(sets, "MilterAllowedClients", c.service().milterAllowedClients());
    add(sets, "TestDNSData", c.dns().testDnsData());
    s.keyFile()
        .ifPresent(
            p ->
                sets.add(
                    new JsonObject()
                        .put("key", "KeyFile")
                        .put("type", "file")
                        .put("spec", p.toString())));
    c.dns()
        .testPublicKeys()
        .ifPresent(
            p ->
                sets.add(
                    new JsonObject()
                        .put("key", "TestPublicKeys")
                        .put("type", "file")
                        .put("spec", p.toString())));
    json.put("dataSets", sets);
    return json;
  }

  private static void add(JsonArray sets, String key, Optional<DataSetRef> ref) {
    ref.ifPresent(
        r ->
            sets.add(
                new JsonObject()
                    .put("key", key)
                    .put("type", r.kind().name().toLowerCase(Locale.ROOT))
                    .put("spec", shown(r))));
  }

  /** A data set's spec without secrets. */
  static String shown(DataSetRef r) {
    if (r.kind() == DataSetRef.Kind.CSL) {
      int n = r.body().isBlank() ? 0 : r.body().split(",", -1).length;
      return "(inline list, " + n + (n == 1 ? " entry)" : " entries)");
    }
    String spec = r.kind() == DataSetRef.Kind.DSN ? maskUserInfo(r.spec()) : r.spec();
    spec = SECRET_PARAMETER.matcher(spec).replaceAll("$1=" + MASK);
    return spec.length() > MAX_SPEC ? spec.substring(0, MAX_SPEC) + "..." : spec;
  }

  /**
   * {@code dsn:mysql://user:pw@host/db/...} → {@code dsn:mysql://user:***@host/db/...}: from the
   * first {@code :} after {@code //} to the last {@code @} before the first {@code ?} (or, without
   * such an {@code @}, to the next {@code /}); errs towards masking more, as the DSN parser's own
   * messages do.
   */
  static String maskUserInfo(String spec) {
    return io.inkan.dataset.sql.SqlDataSet.masked(spec);
  }
}
