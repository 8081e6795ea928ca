package io.inkan.ops;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import io.inkan.testing.Slapd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The directory of example 3 as its README builds it: a slapd with the repository's schema, the
 * access rules of {@code ldap-schema/acl-example.conf} and the tree of {@code
 * ldap-schema/sample-entries.ldif}.
 */
final class SampleDirectory {
  private SampleDirectory() {}

  /** Starts the server; skips the test (fails it on CI) when slapd is not installed. */
  static Slapd start() throws IOException {
    Slapd slapd = Slapd.builder().suffixEntry(false).access(aclRules()).start();
    try {
      slapd.add(sampleEntries());
      return slapd;
    } catch (IOException | RuntimeException e) {
      slapd.close();
      throw e;
    }
  }

  static Path sampleEntries() {
    return Slapd.schemaDir().resolve("sample-entries.ldif");
  }

  /** The key records the sample tree's keys need published (for TestPublicKeys). */
  static TestKeyRecords publishedKeys() throws IOException, GeneralSecurityException {
    TestKeyRecords records = new TestKeyRecords();
    try (LDIFReader reader = new LDIFReader(sampleEntries().toFile())) {
      for (Entry e = reader.readEntry(); e != null; e = reader.readEntry()) {
        if (e.hasAttribute("DKIMKey")) {
          records.fromPrivateKey(
              e.getAttributeValue("DKIMDomain"),
              e.getAttributeValue("DKIMSelector"),
              e.getAttributeValue("DKIMKey"));
        }
      }
    } catch (LDIFException e) {
      throw new IOException(sampleEntries() + ": " + e.getMessage(), e);
    }
    return records;
  }

  /** {@code acl-example.conf}'s {@code access} rules as olcAccess values, in order. */
  static List<String> aclRules() throws IOException {
    List<String> rules = new ArrayList<>();
    for (String line : Files.readAllLines(Slapd.schemaDir().resolve("acl-example.conf"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0)) && !rules.isEmpty()) {
        rules.set(rules.size() - 1, rules.get(rules.size() - 1) + " " + line.strip());
      } else if (line.startsWith("access ")) {
        rules.add(line.substring("access ".length()).strip());
      }
    }
    return rules;
  }
}
