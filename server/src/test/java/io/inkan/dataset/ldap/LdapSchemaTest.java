package io.inkan.dataset.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassDefinition;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetOptions.LdapOptions;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.testing.Slapd;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code ldap-schema/} files: accepted by Debian's slaptest and slapd (slapd.conf and
 * cn=config forms, loaded over ldapi as the README says), identical in all three forms, and the
 * sample tree and ACL working as documented.
 */
class LdapSchemaTest {
  private static final String ARC = "2.25.23664959251810764390588559238450359558";
  private static final String INKAN_DN = "cn=inkan,ou=services,dc=example,dc=com";
  private static final String INKAN_PASSWORD = "inkan-sample-secret";
  private static final String DKIM_BASE = "ou=dkim,dc=example,dc=com";

  @TempDir Path tmp;

  private static Path schema(String name) {
    return Slapd.schemaDir().resolve(name);
  }

  @Test
  void slaptestAcceptsTheSchemaFilesAndTheAcl() throws Exception {
    Slapd.require();
    Files.createDirectories(tmp.resolve("db"));
    String conf =
        String.join(
            "\n",
            "include /etc/ldap/schema/core.schema",
            "include /etc/ldap/schema/cosine.schema",
            "include /etc/ldap/schema/inetorgperson.schema",
            "include " + schema("dkim.schema"),
            "include " + schema("inkan.schema"),
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
            "database mdb",
            "suffix \"dc=example,dc=com\"",
            "directory " + tmp.resolve("db"),
            "include " + schema("acl-example.conf"),
            "");
    Path file = Files.writeString(tmp.resolve("slapd.conf"), conf);
    String out = Slapd.run(List.of(Slapd.SLAPTEST.toString(), "-f", file.toString(), "-u"));
    assertThat(out).contains("config file testing succeeded");
  }

  @Test
  void slaptestAcceptsTheCnConfigLdif() throws Exception {
    try (Slapd slapd = Slapd.start()) {
      String out =
          Slapd.run(
              List.of(
                  Slapd.SLAPTEST.toString(),
                  "-F",
                  slapd.dir().resolve("slapd.d").toString(),
                  "-u"));
      assertThat(out).contains("config file testing succeeded");
    }
  }

  @Test
  void ldapaddLoadsTheLdifOverLdapiAsTheReadmeSays() throws Exception {
    Slapd.requireClients();
    try (Slapd slapd = Slapd.builder().repoSchemas(false).start()) {
      for (String name : List.of("dkim.ldif", "inkan.ldif")) {
        Slapd.run(
            List.of(
                Slapd.LDAPADD.toString(),
                "-Q",
                "-Y",
                "EXTERNAL",
                "-H",
                slapd.ldapiUrl(),
                "-f",
                schema(name).toString()));
      }
      slapd.add(
          String.join(
              "\n",
              "dn: DKIMSelector=s1,dc=example,dc=com",
              "objectClass: inkanDkimKey",
              "objectClass: DKIM",
              "objectClass: inkanDkimKeyOptions",
              "DKIMSelector: s1",
              "DKIMKey: K",
              "inkanDkimActive: TRUE",
              "inkanDkimSignatureTtl: 86400",
              "inkanDkimNotAfter: 20300101000000Z",
              ""));
    }
  }

  @Test
  void theSampleTreeServesKeyTableAndNativeLookups() throws Exception {
    try (Slapd slapd = Slapd.builder().suffixEntry(false).access(aclRules()).start()) {
      slapd.add(schema("sample-entries.ldif"));
      DataSetOptions asInkan = options(Optional.of(INKAN_DN), Optional.of(INKAN_PASSWORD));
      try (DataSet keyTable =
              open(
                  slapd.url()
                      + "/"
                      + DKIM_BASE
                      + "?DKIMDomain,DKIMSelector,DKIMKey?sub?(DKIMSelector=$d)",
                  asInkan);
          DataSet signingTable =
              open(
                  slapd.url()
                      + "/"
                      + DKIM_BASE
                      + "?DKIMSelector?sub?(&(DKIMIdentity=$d)(inkanDkimActive=TRUE))",
                  asInkan);
          DataSet nativeKeys =
              open(
                  slapd.url()
                      + "/$D,"
                      + DKIM_BASE
                      + "?DKIMSelector,inkanDkimAlgorithm?one?(&(objectClass=DKIM)"
                      + "(!(inkanDkimNotAfter<=20260301000000Z)))",
                  asInkan)) {
        List<String> rsa = keyTable.get("rsa2026").orElseThrow();
        assertThat(rsa.subList(0, 2)).containsExactly("example.com", "rsa2026");
        assertThat(rsa.get(2)).startsWith("MII");
        assertThat(keyTable.get("ed2026").orElseThrow().get(2)).startsWith("MC4CAQAwBQYDK2Vw");
        assertThat(signingTable.get("@example.net")).hasValue(List.of("net2026"));
        assertThat(nativeKeys.get("example.net")).hasValue(List.of("net2026", "rsa-sha256"));
        assertThat(nativeKeys.get("example.com").orElseThrow().get(0)).isIn("rsa2026", "ed2026");
        assertThat(nativeKeys.lookup("example.org")).isEmpty();
      }
    }
  }

  @Test
  void theAclLetsOnlyInkanReadPrivateKeys() throws Exception {
    try (Slapd slapd = Slapd.builder().suffixEntry(false).access(aclRules()).start()) {
      slapd.add(schema("sample-entries.ldif"));
      String keyDn = "DKIMSelector=rsa2026,dc=example,dc=com," + DKIM_BASE;
      try (LDAPConnection inkan = new LDAPConnection("127.0.0.1", slapd.port());
          LDAPConnection anonymous = new LDAPConnection("127.0.0.1", slapd.port())) {
        inkan.bind(INKAN_DN, INKAN_PASSWORD);
        SearchResultEntry e = inkan.getEntry(keyDn, "DKIMKey", "DKIMSelector");
        assertThat(e.getAttributeValue("DKIMKey")).startsWith("MII");
        assertThat(anonymous.getEntry(keyDn, "DKIMKey")).isNull();
        int probed;
        try {
          probed = anonymous.search(DKIM_BASE, SearchScope.SUB, "(DKIMKey=*)").getEntryCount();
        } catch (LDAPSearchException hidden) {
          assertThat(hidden.getResultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT);
          probed = hidden.getEntryCount();
        }
        assertThat(probed).isZero();
      }
      DataSet anonymousSet =
          open(
              slapd.url() + "/" + DKIM_BASE + "?DKIMKey?sub?(DKIMSelector=$d)",
              options(Optional.empty(), Optional.empty()));
      try (anonymousSet) {
        assertThat(anonymousSet.lookup("rsa2026")).isEmpty();
      }
    }
  }

  @Test
  void theSampleTreePassesUnboundIdSchemaChecking() throws Exception {
    try (InMemoryLdap ldap = InMemoryLdap.start();
        LDIFReader reader = new LDIFReader(schema("sample-entries.ldif").toFile())) {
      int added = 0;
      for (Entry e = reader.readEntry(); e != null; e = reader.readEntry()) {
        if (!e.getDN().equals(InMemoryLdap.BASE)) {
          ldap.add(e);
          added++;
        }
      }
      assertThat(added).isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void theThreeFormsDefineTheSameSchema() throws Exception {
    Map<String, String> conf = new TreeMap<>();
    conf.putAll(fromSchemaFile(schema("dkim.schema")));
    conf.putAll(fromSchemaFile(schema("inkan.schema")));
    Map<String, String> olc = new TreeMap<>();
    for (String name : List.of("dkim.ldif", "inkan.ldif")) {
      try (LDIFReader r = new LDIFReader(schema(name).toFile())) {
        Entry e = r.readEntry();
        Schema s = new Schema(rename(e));
        olc.putAll(normalized(s));
      }
    }
    Map<String, String> rfc4512 = normalized(InMemoryLdap.repoSchema());
    assertThat(conf).hasSize(15);
    assertThat(olc).isEqualTo(conf);
    assertThat(rfc4512).isEqualTo(conf);
    assertThat(conf.get("1.3.6.1.4.1.29426.2.2.2.1"))
        .contains("NAME 'DKIM'", "AUXILIARY", "MUST ( DKIMSelector $ DKIMKey )");
    for (int i = 1; i <= 4; i++) {
      assertThat(conf.get("1.3.6.1.4.1.29426.2.2.1." + i))
          .contains(
              "EQUALITY caseExactIA5Match", "SYNTAX 1.3.6.1.4.1.1466.115.121.1.26", "SINGLE-VALUE");
    }
  }

  @Test
  void theOidArcIsTheDocumentedUuid() throws Exception {
    UUID uuid = UUID.fromString("11cdb492-d6a3-4480-a17c-bc345af3ad06");
    BigInteger n = new BigInteger(uuid.toString().replace("-", ""), 16);
    assertThat(ARC).isEqualTo("2.25." + n);
    String readme = Files.readString(schema("README.md"));
    assertThat(readme).contains(ARC, uuid.toString());
    for (String oid : fromSchemaFile(schema("inkan.schema")).keySet()) {
      assertThat(oid).startsWith(ARC + ".");
    }
    for (String name :
        List.of(
            "DKIMSelector",
            "DKIMKey",
            "DKIMIdentity",
            "DKIMDomain",
            "inkanDkimActive",
            "inkanDkimAlgorithm",
            "inkanDkimCanonicalization",
            "inkanDkimSignedHeaders",
            "inkanDkimOversignedHeaders",
            "inkanDkimSignatureTtl",
            "inkanDkimNotBefore",
            "inkanDkimNotAfter",
            "inkanDkimKeyOptions",
            "inkanDkimKey")) {
      assertThat(readme).as(name).contains("`" + name + "`");
    }
  }

  /** The {@code access} rules of acl-example.conf as olcAccess values. */
  static List<String> aclRules() throws Exception {
    List<String> rules = new ArrayList<>();
    for (String line : Files.readAllLines(schema("acl-example.conf"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0)) && !rules.isEmpty()) {
        rules.set(rules.size() - 1, rules.get(rules.size() - 1) + " " + line.trim());
      } else if (line.startsWith("access ")) {
        rules.add(line.substring("access ".length()).trim());
      }
    }
    assertThat(rules).hasSize(4);
    return rules;
  }

  private static DataSetOptions options(Optional<String> user, Optional<String> password) {
    return new DataSetOptions(
        new LdapOptions(
            user, password, false, Optional.empty(), Duration.ofSeconds(3), 0, 0, 0, true),
        false,
        Duration.ZERO,
        Duration.ZERO);
  }

  private static DataSet open(String spec, DataSetOptions options) throws Exception {
    return LdapDataSet.open(spec, new Source("inkan.conf", 1), KeyCase.INSENSITIVE, options);
  }

  /** An olcSchemaConfig entry with its definitions under the RFC 4512 attribute names. */
  private static Entry rename(Entry olc) {
    Entry e = new Entry("cn=schema");
    e.addAttribute("attributeTypes", olc.getAttributeValues("olcAttributeTypes"));
    e.addAttribute("objectClasses", olc.getAttributeValues("olcObjectClasses"));
    return e;
  }

  /** OID → the definition as UnboundID writes it, for the DKIM and Inkan arcs. */
  private static Map<String, String> normalized(Schema s) {
    Map<String, String> out = new TreeMap<>();
    for (AttributeTypeDefinition a : s.getAttributeTypes()) {
      out.put(a.getOID(), canonical(a));
    }
    for (ObjectClassDefinition o : s.getObjectClasses()) {
      out.put(o.getOID(), canonical(o));
    }
    out.keySet().removeIf(oid -> !oid.startsWith("1.3.6.1.4.1.29426.") && !oid.startsWith(ARC));
    return out;
  }

  /** A definition rebuilt from its parts in RFC 4512 order, whatever its spacing. */
  private static String canonical(AttributeTypeDefinition a) {
    return "( "
        + a.getOID()
        + " NAME '"
        + String.join("' '", a.getNames())
        + "' DESC '"
        + a.getDescription()
        + "'"
        + (a.getEqualityMatchingRule() == null ? "" : " EQUALITY " + a.getEqualityMatchingRule())
        + (a.getOrderingMatchingRule() == null ? "" : " ORDERING " + a.getOrderingMatchingRule())
        + (a.getSubstringMatchingRule() == null ? "" : " SUBSTR " + a.getSubstringMatchingRule())
        + " SYNTAX "
        + a.getSyntaxOID()
        + (a.isSingleValued() ? " SINGLE-VALUE" : "")
        + " )";
  }

  private static String canonical(ObjectClassDefinition o) {
    return "( "
        + o.getOID()
        + " NAME '"
        + String.join("' '", o.getNames())
        + "' DESC '"
        + o.getDescription()
        + "' SUP "
        + String.join(" $ ", o.getSuperiorClasses())
        + " "
        + o.getObjectClassType()
        + " MUST ( "
        + String.join(" $ ", o.getRequiredAttributes())
        + " ) MAY ( "
        + String.join(" $ ", o.getOptionalAttributes())
        + " ) )";
  }

  /** The attributetype and objectclass definitions of a slapd.conf schema file. */
  private static Map<String, String> fromSchemaFile(Path file) throws Exception {
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      if (!line.startsWith("#")) {
        text.append(line.replace('\t', ' ')).append(' ');
      }
    }
    String all = text.toString();
    Map<String, String> out = new TreeMap<>();
    String lower = all.toLowerCase(Locale.ROOT);
    int i = 0;
    while (true) {
      int at = lower.indexOf("attributetype", i);
      int oc = lower.indexOf("objectclass", i);
      int start = at < 0 ? oc : oc < 0 ? at : Math.min(at, oc);
      if (start < 0) {
        return out;
      }
      int open = all.indexOf('(', start);
      int depth = 0;
      int end = open;
      for (; end < all.length(); end++) {
        depth += all.charAt(end) == '(' ? 1 : all.charAt(end) == ')' ? -1 : 0;
        if (depth == 0) {
          break;
        }
      }
      String def = all.substring(open, end + 1);
      if (start == at) {
        AttributeTypeDefinition a = new AttributeTypeDefinition(def);
        out.put(a.getOID(), canonical(a));
      } else {
        ObjectClassDefinition o = new ObjectClassDefinition(def);
        out.put(o.getOID(), canonical(o));
      }
      i = end + 1;
    }
  }
}
