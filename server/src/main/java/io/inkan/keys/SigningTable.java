package io.inkan.keys;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenDKIM's SigningTable (opendkim.conf(5), SigningTable): the From address → {@code
 * KEYNAME[:SIGNER]}. For {@code refile:} sets the keys are wildcard patterns tried in file order
 * against {@code user@host}; for other sets the candidates are {@code user@host}, {@code host},
 * then for each parent domain {@code user@.parent} and {@code .parent}, then {@code user@*} and
 * {@code *}. The first hit wins, or every hit with MultipleSignatures. {@code %} in either field
 * stands for the From domain.
 */
public final class SigningTable {
  private final DataSet data;

  private SigningTable(DataSet data) {
    this.data = data;
  }

  /** The data set behind the table. */
  public DataSet data() {
    return data;
  }

  /**
   * Loads a table; every entry of a local data set must name a KeyTable entry ({@code %} names are
   * checked per message).
   *
   * @throws KeyTableException naming the file and line of the first bad entry
   */
  public static SigningTable load(DataSet data, KeyTable keys) throws KeyTableException {
    for (DataSetEntry e : data.localEntries().orElse(List.of())) {
      String where = "SigningTable " + e.source() + ": " + e.key();
      List<String> v = e.values(2);
      if (v.isEmpty() || v.get(0).isBlank()) {
        throw new KeyTableException(where + ": expected KEYNAME[:SIGNER]");
      }
      String name = v.get(0).trim();
      if (!name.contains("%") && !keys.contains(name)) {
        throw new KeyTableException(where + ": key name " + name + " is not in the KeyTable");
      }
    }
    return new SigningTable(data);
  }

  /**
   * The entries that apply to a From address.
   *
   * @param address the From address, {@code user@host}
   * @param multiple every hit (MultipleSignatures) rather than the first
   */
  public List<SigningMatch> lookup(String address, boolean multiple) {
    int at = address.lastIndexOf('@');
    String user = at < 0 ? "" : address.substring(0, at);
    String host = (at < 0 ? address : address.substring(at + 1)).toLowerCase(Locale.ROOT);
    List<SigningMatch> out = new ArrayList<>(1);
    for (String candidate : candidates(user, host)) {
      List<DataSetEntry> hits =
          multiple ? data.lookupAll(candidate) : data.lookup(candidate).stream().toList();
      for (DataSetEntry e : hits) {
        toMatch(e, host).ifPresent(out::add);
        if (!multiple && !out.isEmpty()) {
          return out;
        }
      }
    }
    return out;
  }

  private List<String> candidates(String user, String host) {
    String full = user + "@" + host;
    if (data.patternKeys()) {
      return List.of(full);
    }
    List<String> c = new ArrayList<>();
    c.add(full);
    c.add(host);
    for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      String parent = host.substring(dot);
      c.add(user + "@" + parent);
      c.add(parent);
    }
    c.add(user + "@*");
    c.add("*");
    return c;
  }

  private static Optional<SigningMatch> toMatch(DataSetEntry e, String host) {
    List<String> v = e.values(2);
    if (v.isEmpty() || v.get(0).isBlank()) {
      return Optional.empty();
    }
    String name = v.get(0).trim().replace("%", host);
    Optional<String> signer =
        v.size() > 1 && !v.get(1).isBlank()
            ? Optional.of(v.get(1).trim().replace("%", host))
            : Optional.empty();
    return Optional.of(new SigningMatch(name, signer));
  }
}
