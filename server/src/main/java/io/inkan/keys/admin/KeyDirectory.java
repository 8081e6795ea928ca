package io.inkan.keys.admin;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.inkan.dataset.ldap.LdapAdminConnections;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The key entries below a base, in the layout of ldap-schema/README.md: one {@code dc=} entry
 * (object class {@code domain}) per domain label, one {@code DKIMSelector=} entry (object classes
 * {@code inkanDkimKey}, {@code DKIM}, {@code inkanDkimKeyOptions}) per key below its domain.
 */
public final class KeyDirectory {
  static final String DKIM_CLASS = "DKIM";
  static final String OPTIONS_CLASS = "inkanDkimKeyOptions";
  static final String KEY_CLASS = "inkanDkimKey";
  static final String SELECTOR = "DKIMSelector";
  static final String KEY = "DKIMKey";
  static final String DOMAIN = "DKIMDomain";
  static final String ACTIVE = "inkanDkimActive";
  static final String ALGORITHM = "inkanDkimAlgorithm";
  static final String NOT_BEFORE = "inkanDkimNotBefore";
  static final String NOT_AFTER = "inkanDkimNotAfter";

  private static final String[] LISTED = {
    SELECTOR, DOMAIN, ACTIVE, ALGORITHM, NOT_BEFORE, NOT_AFTER, "objectClass"
  };

  private final LDAPInterface ldap;
  private final String base;

  /**
   * @param ldap a bound connection (or pool)
   * @param base the DN the domains' entries hang below, e.g. {@code ou=dkim,dc=example,dc=com}
   */
  public KeyDirectory(LDAPInterface ldap, String base) {
    this.ldap = ldap;
    this.base = base;
  }

  public String base() {
    return base;
  }

  /**
   * The key entries of one domain, or of every domain, sorted by domain and selector.
   *
   * @throws KeyAdminException when the base is missing or the search fails
   */
  public List<KeyEntry> list(Optional<String> domain) throws KeyAdminException {
    requireBase();
    String searchBase = domain.map(d -> DkimNames.domainDn(d, base)).orElse(base);
    SearchScope scope = domain.isPresent() ? SearchScope.ONE : SearchScope.SUB;
    List<KeyEntry> keys = new ArrayList<>();
    try {
      for (SearchResultEntry e :
          ldap.search(
                  searchBase, scope, Filter.createEqualityFilter("objectClass", DKIM_CLASS), LISTED)
              .getSearchEntries()) {
        keys.add(entry(e));
      }
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT && domain.isPresent()) {
        return List.of();
      }
      throw failure("cannot search " + searchBase, e);
    }
    keys.sort(Comparator.comparing(KeyEntry::domain).thenComparing(KeyEntry::selector));
    return keys;
  }

  /** The entry of one key, if there is one. */
  public Optional<KeyEntry> find(String domain, String selector) throws KeyAdminException {
    String dn = DkimNames.keyDn(domain, selector, base);
    try {
      SearchResultEntry e = ldap.getEntry(dn, LISTED);
      return e == null || !e.hasObjectClass(DKIM_CLASS) ? Optional.empty() : Optional.of(entry(e));
    } catch (LDAPException e) {
      throw failure("cannot read " + dn, e);
    }
  }

  /**
   * The {@code DKIMKey} value of an entry, for resuming a rotation.
   *
   * @throws KeyAdminException when it cannot be read (an ACL may hide it from this bind DN)
   */
  public String privateKey(KeyEntry key) throws KeyAdminException {
    try {
      SearchResultEntry e = ldap.getEntry(key.dn(), KEY);
      String value = e == null ? null : e.getAttributeValue(KEY);
      if (value == null) {
        throw new KeyAdminException(key.dn() + ": no readable " + KEY);
      }
      return value;
    } catch (LDAPException e) {
      throw failure("cannot read " + key.dn(), e);
    }
  }

  /**
   * Adds a key entry, and the domain's {@code dc=} entries that are missing.
   *
   * @param active the {@code inkanDkimActive} value
   * @throws KeyAdminException when the selector is taken or the directory refuses
   */
  public KeyEntry add(String domain, String selector, NewKey key, boolean active)
      throws KeyAdminException {
    requireBase();
    String d = DkimNames.normalize(domain);
    for (String dn : DkimNames.domainChain(d, base)) {
      addDomainLabel(dn);
    }
    String dn = DkimNames.keyDn(d, selector, base);
    Entry entry =
        new Entry(
            dn,
            new Attribute("objectClass", "top", KEY_CLASS, DKIM_CLASS, OPTIONS_CLASS),
            new Attribute(SELECTOR, selector),
            new Attribute(KEY, key.privateKeyBase64()),
            new Attribute(DOMAIN, d),
            new Attribute(ALGORITHM, key.algorithm()),
            new Attribute(ACTIVE, active ? "TRUE" : "FALSE"));
    try {
      ldap.add(entry);
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
        throw new KeyAdminException("selector " + selector + " of " + d + " exists already: " + dn);
      }
      throw failure("cannot add " + dn, e);
    }
    return new KeyEntry(
        dn,
        d,
        selector,
        Optional.of(key.algorithm()),
        Optional.of(active),
        Optional.empty(),
        Optional.empty());
  }

  /** Sets {@code inkanDkimActive}, adding {@code inkanDkimKeyOptions} to an OpenDKIM entry. */
  public void setActive(KeyEntry key, boolean active) throws KeyAdminException {
    modifyOptions(
        key, new Modification(ModificationType.REPLACE, ACTIVE, active ? "TRUE" : "FALSE"));
  }

  /** Sets {@code inkanDkimNotAfter}: the key signs until then. */
  public void setNotAfter(KeyEntry key, Instant notAfter) throws KeyAdminException {
    modifyOptions(
        key,
        new Modification(ModificationType.REPLACE, NOT_AFTER, GeneralizedTimes.format(notAfter)));
  }

  private void modifyOptions(KeyEntry key, Modification change) throws KeyAdminException {
    try {
      SearchResultEntry e = ldap.getEntry(key.dn(), "objectClass");
      if (e == null) {
        throw new KeyAdminException(key.dn() + ": no such entry");
      }
      List<Modification> mods = new ArrayList<>();
      if (!e.hasObjectClass(OPTIONS_CLASS)) {
        mods.add(new Modification(ModificationType.ADD, "objectClass", OPTIONS_CLASS));
      }
      mods.add(change);
      ldap.modify(key.dn(), mods);
    } catch (LDAPException e) {
      throw failure("cannot modify " + key.dn(), e);
    }
  }

  private void requireBase() throws KeyAdminException {
    try {
      if (ldap.getEntry(base, "1.1") == null) {
        throw new KeyAdminException(
            "the base " + base + " does not exist; add it first (e.g. an organizationalUnit)");
      }
    } catch (LDAPException e) {
      throw failure("cannot read the base " + base, e);
    }
  }

  private void addDomainLabel(String dn) throws KeyAdminException {
    try {
      RDN rdn = new DN(dn).getRDN();
      ldap.add(
          new Entry(
              dn,
              new Attribute("objectClass", "top", "domain"),
              new Attribute("dc", rdn.getAttributeValues()[0])));
    } catch (LDAPException e) {
      if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
        throw failure("cannot add " + dn, e);
      }
    }
  }

  private KeyEntry entry(Entry e) throws LDAPException {
    String selector = e.getAttributeValue(SELECTOR);
    String domain = e.getAttributeValue(DOMAIN);
    if (domain == null) {
      domain = domainOf(e.getParsedDN().getParent());
    }
    return new KeyEntry(
        e.getDN(),
        domain.toLowerCase(Locale.ROOT),
        selector == null ? "?" : selector,
        Optional.ofNullable(e.getAttributeValue(ALGORITHM)),
        Optional.ofNullable(e.getAttributeValueAsBoolean(ACTIVE)),
        GeneralizedTimes.parse(e.getAttributeValue(NOT_BEFORE)),
        GeneralizedTimes.parse(e.getAttributeValue(NOT_AFTER)));
  }

  /** The domain a DN's leading {@code dc=} values spell, e.g. {@code example.com}. */
  private String domainOf(DN dn) throws LDAPException {
    DN top = new DN(base);
    List<String> labels = new ArrayList<>();
    for (DN at = dn; at != null && !at.equals(top); at = at.getParent()) {
      RDN rdn = at.getRDN();
      if (rdn == null || !rdn.hasAttribute("dc")) {
        break;
      }
      labels.add(rdn.getAttributeValues()[0]);
    }
    return labels.isEmpty() ? "?" : String.join(".", labels);
  }

  private static KeyAdminException failure(String what, LDAPException e) {
    return new KeyAdminException(what + ": " + LdapAdminConnections.describe(e), e);
  }
}
