package io.inkan.keys.tools;

import io.inkan.config.Config;
import io.inkan.config.DataSetRef;
import io.inkan.config.DataSetSettings;
import io.inkan.config.SigningSettings;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.DataSets;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.dataset.Walkable;
import io.inkan.keys.KeyTableException;
import io.inkan.keys.KeyTableRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every key a KeyTable (any data set that can be walked: files, lists, {@code db:}, {@code dsn:},
 * {@code ldap:}) or a configuration's {@code Domain}/{@code Selector}/{@code KeyFile} names, for
 * the tools that go through all keys.
 */
public final class ConfiguredKeys {
  private ConfiguredKeys() {}

  /**
   * The rows that parsed and the entries that did not.
   *
   * @param rows the parsed entries, in the data set's order
   * @param problems one message per malformed entry, naming it
   */
  public record Listing(List<KeyTableRow> rows, List<String> problems) {
    public Listing {
      rows = List.copyOf(rows);
      problems = List.copyOf(problems);
    }
  }

  /**
   * Opens, lists and closes the KeyTable {@code spec}.
   *
   * @param at where the specification comes from, for messages
   * @throws KeyTableException when the set cannot be opened, reached or listed
   */
  public static Listing keyTable(String spec, Source at, DataSetOptions options)
      throws KeyTableException {
    DataSet set;
    try {
      set = DataSets.parse(spec, at.file(), at.line(), KeyCase.INSENSITIVE, options);
    } catch (DataSetException | DataSetUnavailableException e) {
      throw new KeyTableException(e.getMessage(), e);
    }
    try (set) {
      Optional<List<DataSetEntry>> entries = Walkable.entriesOf(set);
      if (entries.isEmpty()) {
        throw new KeyTableException(
            at
                + ": KeyTable \""
                + set.spec()
                + "\" cannot be listed (a db: table of more entries than can be walked); export"
                + " it with inkan db export and give the file");
      }
      return rows(entries.get());
    } catch (DataSetUnavailableException e) {
      throw new KeyTableException(e.getMessage(), e);
    }
  }

  /**
   * The keys a configuration signs with: its KeyTable, else one row per {@code Domain} with its
   * {@code Selector} and {@code KeyFile}; none when it signs with neither.
   *
   * @throws KeyTableException when the KeyTable cannot be listed, or the single-key form is
   *     incomplete
   */
  public static Listing of(Config config) throws KeyTableException {
    SigningSettings s = config.signing();
    if (s.keyTable().isPresent()) {
      DataSetRef ref = s.keyTable().get();
      return keyTable(ref.spec(), new Source(ref.file(), ref.line()), options(config.dataSets()));
    }
    if (s.domain().isEmpty() && s.keyFile().isEmpty()) {
      return new Listing(List.of(), List.of());
    }
    if (s.domain().isEmpty() || s.selector().isEmpty() || s.keyFile().isEmpty()) {
      throw new KeyTableException(
          "the configuration signs with one key but lacks Domain, Selector or KeyFile");
    }
    DataSetRef ref = s.domain().get();
    Source at = new Source(ref.file(), ref.line());
    List<KeyTableRow> rows = new ArrayList<>();
    try (DataSet domains = DataSets.parse(ref.spec(), ref.file(), ref.line())) {
      for (DataSetEntry d : domains.localEntries().orElse(List.of())) {
        rows.add(
            new KeyTableRow(
                "Domain " + d.key(),
                d.key(),
                s.selector().get(),
                s.keyFile().get().toAbsolutePath().toString(),
                Optional.empty(),
                at + ": Domain " + d.key()));
      }
    } catch (DataSetException e) {
      throw new KeyTableException(e.getMessage(), e);
    }
    return new Listing(rows, List.of());
  }

  private static Listing rows(List<DataSetEntry> entries) {
    List<KeyTableRow> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (DataSetEntry e : entries) {
      try {
        rows.add(KeyTableRow.parse(e));
      } catch (KeyTableException bad) {
        problems.add(bad.getMessage());
      }
    }
    return new Listing(rows, problems);
  }

  /** The remote data sets' settings a configuration gives (LDAP bind, TLS, timeouts). */
  public static DataSetOptions options(DataSetSettings d) {
    return DataSetOptions.of(d).uncached();
  }
}
