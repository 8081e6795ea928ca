package io.inkan.policy;

import io.inkan.config.DataSetRef;
import io.inkan.config.SigningSettings;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.DataSets;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.keys.DomainKeySource;
import io.inkan.keys.KeyTable;
import io.inkan.keys.KeyTableException;
import io.inkan.keys.PrivateKeyFiles;
import io.inkan.keys.ResolvedKey;
import io.inkan.keys.SigningMatch;
import io.inkan.keys.SigningTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which keys sign mail from an address: the KeyTable and SigningTable, or the tables the single-key
 * form implies. For {@code Domain D} with {@code Selector S} and {@code KeyFile F}, the
 * SigningTable maps {@code D} (and {@code .D} with {@code SubDomains}) to a key {@code D:S:F:A}, so
 * {@code d=} is the listed domain, as OpenDKIM signs a subdomain's mail with its parent's name, and
 * {@code A} is {@code SignatureAlgorithm} (default rsa-sha256, opendkim.conf(5)); a key that does
 * not fit it stops start-up. KeyTable entries sign with their own algorithm field, else their key's
 * type.
 */
final class SigningKeys implements SenderKeys {
  static final SigningKeys NONE = new SigningKeys(null, null);

  private final KeyTable keys;
  private final SigningTable table;
  private final Optional<DomainKeySource> directory;
  private final boolean subDomains;

  private SigningKeys(KeyTable keys, SigningTable table) {
    this(keys, table, Optional.empty(), false);
  }

  private SigningKeys(
      KeyTable keys, SigningTable table, Optional<DomainKeySource> directory, boolean subDomains) {
    this.keys = keys;
    this.table = table;
    this.directory = directory;
    this.subDomains = subDomains;
  }

  /**
   * The tables, and the SigningDirectory when configured: its keys sign when it has any for the
   * sender's domain (with SubDomains, the nearest parent domain that has keys), else the
   * SigningTable decides.
   */
  static SigningKeys of(SigningSettings s, PrivateKeyFiles files, DataSetOptions options)
      throws PolicyException {
    SigningKeys tables = tables(s, files, options);
    if (s.signingDirectory().isEmpty()) {
      return tables;
    }
    try {
      DomainKeySource source = DirectorySources.open(s.signingDirectory().get(), options, files);
      return new SigningKeys(tables.keys, tables.table, Optional.of(source), s.subDomains());
    } catch (PolicyException | RuntimeException e) {
      tables.close();
      throw e;
    }
  }

  private static SigningKeys tables(
      SigningSettings s, PrivateKeyFiles files, DataSetOptions options) throws PolicyException {
    try {
      if (s.keyTable().isPresent()) {
        KeyTable keys = KeyTable.load(dataSet(s.keyTable().get(), options), files);
        if (s.signingTable().isEmpty()) {
          throw new PolicyException(
              s.keyTable().get().file()
                  + ":"
                  + s.keyTable().get().line()
                  + ": KeyTable: needs a SigningTable to say which mail each key signs");
        }
        try {
          return new SigningKeys(
              keys, SigningTable.load(dataSet(s.signingTable().get(), options), keys));
        } catch (KeyTableException | PolicyException | RuntimeException e) {
          keys.data().close();
          throw e;
        }
      }
      if (s.keyFile().isEmpty() && s.domain().isEmpty()) {
        return NONE;
      }
      return singleKey(s, files);
    } catch (KeyTableException e) {
      throw new PolicyException(e.getMessage(), e);
    }
  }

  private static SigningKeys singleKey(SigningSettings s, PrivateKeyFiles files)
      throws PolicyException, KeyTableException {
    if (s.domain().isEmpty() || s.selector().isEmpty() || s.keyFile().isEmpty()) {
      throw new PolicyException(
          s.domain().map(r -> r.file() + ":" + r.line() + ": ").orElse("")
              + "signing with one key needs Domain, Selector and KeyFile (or use KeyTable and"
              + " SigningTable)");
    }
    DataSetRef ref = s.domain().get();
    Source at = new Source(ref.file(), ref.line());
    String keyFile = s.keyFile().get().toAbsolutePath().toString();
    List<DataSetEntry> keyEntries = new ArrayList<>();
    List<DataSetEntry> signEntries = new ArrayList<>();
    for (String domain : keysOf(dataSet(ref))) {
      String name = "inkan-single-key/" + domain;
      keyEntries.add(
          new DataSetEntry(
              name,
              domain + ":" + s.selector().get() + ":" + keyFile + ":" + s.algorithm().tag(),
              at));
      signEntries.add(new DataSetEntry(domain, name, at));
      if (s.subDomains()) {
        signEntries.add(new DataSetEntry("." + domain, name, at));
      }
    }
    KeyTable keys = KeyTable.load(new MemoryDataSet("KeyFile " + keyFile, at, keyEntries), files);
    for (DataSetEntry e : keyEntries) {
      try {
        keys.resolve(e.key(), "example.invalid");
      } catch (KeyTableException bad) {
        throw new PolicyException(
            bad.getMessage()
                + " (SignatureAlgorithm, default rsa-sha256, applies to KeyFile: set"
                + " SignatureAlgorithm to the key's algorithm)",
            bad);
      }
    }
    return new SigningKeys(
        keys, SigningTable.load(new MemoryDataSet(ref.spec(), at, signEntries), keys));
  }

  static DataSet dataSet(DataSetRef ref) throws PolicyException {
    return dataSet(ref, DataSetOptions.DEFAULTS);
  }

  /** Opens a data set that may be remote (SQL, LDAP, JE), connecting with {@code options}. */
  static DataSet dataSet(DataSetRef ref, DataSetOptions options) throws PolicyException {
    try {
      return DataSets.parse(ref.spec(), ref.file(), ref.line(), KeyCase.INSENSITIVE, options);
    } catch (DataSetException e) {
      throw new PolicyException(e.getMessage(), e);
    } catch (DataSetUnavailableException e) {
      throw new PolicyException(ref.file() + ":" + ref.line() + ": " + e.getMessage(), e);
    }
  }

  /** Closes the tables' connections (a remote set's pool), after a reload replaced them. */
  @Override
  public void close() {
    if (table != null) {
      table.data().close();
      keys.data().close();
    }
    directory.ifPresent(DomainKeySource::close);
  }

  /** The keys of a local data set (a list of domains, header names, ...). */
  static List<String> keysOf(DataSet set) throws PolicyException {
    Optional<List<DataSetEntry>> entries = set.localEntries();
    if (entries.isEmpty()) {
      throw new PolicyException(
          set.declaredAt() + ": data set \"" + set.spec() + "\" must be a file or a list here");
    }
    return entries.get().stream().map(DataSetEntry::key).toList();
  }

  /** Whether the tables are remote (SQL, LDAP, JE) or a directory is used: lookups may block. */
  @Override
  public boolean remote() {
    return directory.isPresent()
        || (table != null && (remote(keys.data()) || remote(table.data())));
  }

  /**
   * The SigningDirectory's keys for a sender domain (with SubDomains, the nearest parent domain's);
   * empty without a directory.
   */
  List<DomainKeySource.DirectoryKey> directoryKeys(String domain) {
    if (directory.isEmpty()) {
      return List.of();
    }
    String d = domain;
    while (true) {
      List<DomainKeySource.DirectoryKey> found = directory.get().keysFor(d);
      int dot = d.indexOf('.');
      if (!found.isEmpty() || !subDomains || dot < 0 || d.indexOf('.', dot + 1) < 0) {
        return found;
      }
      d = d.substring(dot + 1);
    }
  }

  @Override
  public boolean signs(String address, String domain) {
    return !directoryKeys(domain).isEmpty() || !matches(address, false).isEmpty();
  }

  @Override
  public List<ChosenKey> choose(String address, String domain, boolean multiple)
      throws KeyChoiceException {
    List<DomainKeySource.DirectoryKey> directoryKeys = directoryKeys(domain);
    if (!directoryKeys.isEmpty()) {
      return directoryKeys.stream().map(k -> chosen(k, domain)).toList();
    }
    List<ChosenKey> chosen = new ArrayList<>();
    for (SigningMatch match : matches(address, multiple)) {
      Optional<ChosenKey> key = named(match.keyName(), domain);
      if (key.isEmpty()) {
        throw new KeyChoiceException("key " + match.keyName() + " is not in the KeyTable");
      }
      ChosenKey k = key.get();
      chosen.add(
          new ChosenKey(
              k.ref(),
              k.domain(),
              k.selector(),
              k.key(),
              k.algorithm(),
              match.signer(),
              k.options()));
    }
    return chosen;
  }

  @Override
  public Optional<ChosenKey> named(String keyName, String fromDomain) throws KeyChoiceException {
    if (keys == null) {
      return Optional.empty();
    }
    try {
      return keys.resolve(keyName, fromDomain)
          .map(
              k ->
                  new ChosenKey(
                      new ChosenKey.KeyRef(false, keyName, fromDomain),
                      k.domain(),
                      k.selector(),
                      k.key(),
                      k.algorithm(),
                      Optional.empty(),
                      DomainKeySource.KeyOptions.DEFAULTS));
    } catch (KeyTableException e) {
      throw new KeyChoiceException(e.getMessage(), e);
    }
  }

  /** A key chosen earlier, found again (a signer node serving a front-end's request). */
  Optional<ChosenKey> find(ChosenKey.KeyRef ref) throws KeyChoiceException {
    if (!ref.directory()) {
      return named(ref.name(), ref.fromDomain());
    }
    return directoryKeys(ref.fromDomain()).stream()
        .filter(k -> k.key().keyName().equals(ref.name()))
        .findFirst()
        .map(k -> chosen(k, ref.fromDomain()));
  }

  private static ChosenKey chosen(DomainKeySource.DirectoryKey k, String fromDomain) {
    ResolvedKey r = k.key();
    return new ChosenKey(
        new ChosenKey.KeyRef(true, r.keyName(), fromDomain),
        r.domain(),
        r.selector(),
        r.key(),
        r.algorithm(),
        k.identity(),
        k.options());
  }

  /** Calls {@code listener} after each change the SigningDirectory reports. */
  void onChange(Runnable listener) {
    directory.ifPresent(d -> d.onChange(listener));
  }

  /** Whether a set is remote: not walkable, so each lookup is a query. */
  static boolean remote(DataSet set) {
    return set.localEntries().isEmpty();
  }

  @Override
  public boolean any() {
    return table != null || directory.isPresent();
  }

  /** The SigningTable entries for a From address; empty when nothing signs it. */
  List<SigningMatch> matches(String address, boolean multiple) {
    return table == null ? List.of() : table.lookup(address, multiple);
  }
}
