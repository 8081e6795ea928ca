package io.inkan.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The table-lookup contract every data set backend must meet (file, JE, SQL, LDAP): a subclass
 * stores {@link #ROWS} in its backend and opens a {@link DataSet} over them; every backend then
 * answers these lookups alike.
 */
public abstract class DataSetConformance {
  /** Key → value rows every backend stores: KeyTable- and SigningTable-shaped values. */
  public static final Map<String, String> ROWS = rows();

  /** Keys that try to escape a query (SQL, LDAP filter, wildcard): each must be a plain miss. */
  public static final List<String> HOSTILE_KEYS =
      List.of(
          "*",
          "*)(uid=*",
          "example.com)(|(dc=*)",
          "' OR 1=1 --",
          "x' OR 'a'='a",
          "example.com%",
          "_xample.com",
          "example.com\\",
          "example.com\u0000",
          "\\2a");

  private DataSet set;

  private static Map<String, String> rows() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "example.com",
        "example.com:sel2026:MC4CAQAwBQYDK2VwBCIEIGrm2JAHgXv1zm7Yr9xlbKtLdI8bNmwDe1K3R0sW2hYZ");
    m.put("rsa.example.net", "example.net:rsa:/etc/inkan/keys/example.net.private:rsa-sha256");
    m.put("user@example.org", "example.org-key");
    m.put(".example.org", "example.org-key:@example.org");
    m.put("*", "fallback-key");
    return Map.copyOf(m);
  }

  /** Stores {@link #ROWS} in the backend and opens a set over them, comparing keys as told. */
  protected abstract DataSet open(Map<String, String> rows) throws Exception;

  /** Changes one row in the backend behind an open set (to check {@link DataSet#dropCache()}). */
  protected abstract void update(String key, String value) throws Exception;

  /**
   * The set as a reload leaves it after {@link #update}: remote sets drop their cache; file sets
   * are read again (a reload builds new ones).
   */
  protected DataSet refreshed(DataSet current) throws Exception {
    current.dropCache();
    return current;
  }

  private DataSet set() throws Exception {
    if (set == null) {
      set = open(ROWS);
    }
    return set;
  }

  @AfterEach
  void closeSet() {
    if (set != null) {
      set.close();
    }
  }

  @Test
  void everyRowIsFoundWithItsValue() throws Exception {
    for (Map.Entry<String, String> row : ROWS.entrySet()) {
      assertThat(set().lookup(row.getKey()))
          .as(row.getKey())
          .hasValueSatisfying(e -> assertThat(e.value()).isEqualTo(row.getValue()));
      assertThat(set().contains(row.getKey())).isTrue();
    }
  }

  @Test
  void valuesSplitAtColonsAsOpenDkimFields() throws Exception {
    assertThat(set().get("rsa.example.net"))
        .hasValue(
            List.of("example.net", "rsa", "/etc/inkan/keys/example.net.private", "rsa-sha256"));
    assertThat(set().lookup("rsa.example.net").orElseThrow().values(3))
        .containsExactly("example.net", "rsa", "/etc/inkan/keys/example.net.private:rsa-sha256");
  }

  @Test
  void anUnknownKeyIsAMiss() throws Exception {
    assertThat(set().lookup("nosuch.example")).isEmpty();
    assertThat(set().lookup("")).isEmpty();
    assertThat(set().lookup("example.co")).isEmpty();
    assertThat(set().lookup("xexample.com")).isEmpty();
  }

  @Test
  void hostileKeysAreMissesNeverAnotherRow() throws Exception {
    for (String key : HOSTILE_KEYS) {
      if (key.equals("*")) {
        continue; // a real row
      }
      assertThat(set().lookup(key)).as(key).isEmpty();
    }
  }

  @Test
  void theStarRowIsOnlyFoundByItsOwnKey() throws Exception {
    assertThat(set().lookup("*"))
        .hasValueSatisfying(e -> assertThat(e.value()).isEqualTo("fallback-key"));
  }

  @Test
  void dropCacheMakesAChangedRowVisible() throws Exception {
    assertThat(set().get("user@example.org")).hasValue(List.of("example.org-key"));
    update("user@example.org", "rotated-key");
    set = refreshed(set);
    assertThat(set().get("user@example.org")).hasValue(List.of("rotated-key"));
  }

  @Test
  void aRemoteSetIsNotWalked() throws Exception {
    assertThat(set().spec()).isNotEmpty();
    assertThat(set().declaredAt()).isNotNull();
    assertThat(set().patternKeys()).isFalse();
  }
}
