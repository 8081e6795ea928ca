package io.inkan.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The cn=config LDIF {@link Slapd} loads with {@code slapadd -n0}. */
final class SlapdConfig {
  static final Path MODULES = Path.of("/usr/lib/ldap");
  static final Path SYSTEM_SCHEMA = Path.of("/etc/ldap/schema");

  private SlapdConfig() {}

  /**
   * A configuration in {@code dir}: back_mdb and syncprov loaded, core, cosine, inetorgperson and
   * {@code schemas}, cn=config managed by the peer {@code uid}/{@code gid} over ldapi, one mdb
   * database for {@code suffix} with the given root DN, password and access rules, and syncprov on
   * it.
   */
  static String cnConfig(
      Path dir,
      String suffix,
      String rootDn,
      String rootPassword,
      List<Path> schemas,
      List<String> access,
      int uid,
      int gid) {
    StringBuilder ldif = new StringBuilder();
    ldif.append("dn: cn=config\nobjectClass: olcGlobal\ncn: config\n")
        .append("olcPidFile: ")
        .append(dir.resolve("slapd.pid"))
        .append("\n\n");
    ldif.append("dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n")
        .append("olcModulePath: ")
        .append(MODULES)
        .append("\nolcModuleLoad: back_mdb\nolcModuleLoad: syncprov\n\n");
    ldif.append("dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n");
    List<Path> all = new ArrayList<>();
    for (String name : List.of("core", "cosine", "inetorgperson")) {
      all.add(SYSTEM_SCHEMA.resolve(name + ".ldif"));
    }
    all.addAll(schemas);
    for (Path schema : all) {
      ldif.append("include: file://").append(schema.toAbsolutePath()).append("\n\n");
    }
    String peer = "gidNumber=" + gid + "+uidNumber=" + uid + ",cn=peercred,cn=external,cn=auth";
    ldif.append("dn: olcDatabase={-1}frontend,cn=config\n")
        .append("objectClass: olcDatabaseConfig\nobjectClass: olcFrontendConfig\n")
        .append("olcDatabase: {-1}frontend\n\n");
    ldif.append("dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\n")
        .append("olcDatabase: {0}config\nolcRootDN: ")
        .append(peer)
        .append("\n\n");
    ldif.append("dn: olcDatabase={1}mdb,cn=config\n")
        .append("objectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n")
        .append("olcDatabase: {1}mdb\nolcSuffix: ")
        .append(suffix)
        .append("\nolcRootDN: ")
        .append(rootDn)
        .append("\nolcRootPW: ")
        .append(rootPassword)
        .append("\nolcDbDirectory: ")
        .append(dir.resolve("data"))
        .append("\nolcDbNoSync: TRUE\nolcDbIndex: objectClass eq\n");
    for (int i = 0; i < access.size(); i++) {
      ldif.append("olcAccess: {").append(i).append('}').append(access.get(i)).append('\n');
    }
    ldif.append('\n');
    ldif.append("dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config\n")
        .append("objectClass: olcOverlayConfig\nobjectClass: olcSyncProvConfig\n")
        .append("olcOverlay: {0}syncprov\n");
    return ldif.toString();
  }
}
