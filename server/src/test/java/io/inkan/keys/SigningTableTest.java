package io.inkan.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dataset.DataSets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningTableTest {
  @TempDir Path dir;
  private KeyTable keys;

  @BeforeEach
  void keyTable() throws Exception {
    String seed = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
    StringBuilder sb = new StringBuilder();
    for (String name :
        List.of("full", "host", "userparent", "parent", "userany", "any", "a", "b")) {
      sb.append(name).append(" example.com:s:").append(seed).append('\n');
    }
    keys =
        KeyTable.load(
            DataSets.parse(
                "csl:" + sb.toString().strip().replace('\n', ',').replace(' ', '='), "c", 1),
            new PrivateKeyFiles(false));
  }

  private SigningTable table(String scheme, String text) throws Exception {
    Path f = Files.writeString(dir.resolve("signing"), text);
    return SigningTable.load(DataSets.parse(scheme + f, "inkan.conf", 3), keys);
  }

  private static List<String> names(List<SigningMatch> m) {
    return m.stream().map(SigningMatch::keyName).toList();
  }

  @Test
  void candidatesAreTriedInOpenDkimsOrder() throws Exception {
    String all =
        "*  any\nuser@* userany\n.example.com parent\nuser@.example.com userparent\n"
            + "mail.example.com host\nuser@mail.example.com full\n";
    SigningTable t = table("file:", all);
    assertThat(names(t.lookup("user@mail.example.com", false))).containsExactly("full");
    assertThat(names(t.lookup("other@mail.example.com", false))).containsExactly("host");
    assertThat(names(t.lookup("user@sub.example.com", false))).containsExactly("userparent");
    assertThat(names(t.lookup("other@sub.example.com", false))).containsExactly("parent");
    assertThat(names(t.lookup("user@example.org", false))).containsExactly("userany");
    assertThat(names(t.lookup("other@example.org", false))).containsExactly("any");
    assertThat(names(t.lookup("user@mail.example.com", true)))
        .containsExactly("full", "host", "userparent", "parent", "userany", "any");
  }

  @Test
  void hostsCompareWithoutCase() throws Exception {
    SigningTable t = table("file:", "example.com a\n");
    assertThat(names(t.lookup("Joe@EXAMPLE.com", false))).containsExactly("a");
  }

  @Test
  void patternsAreTriedInFileOrder() throws Exception {
    SigningTable t = table("refile:", "*@example.com a\n*@*.com b\n*  any\n");
    assertThat(names(t.lookup("joe@example.com", false))).containsExactly("a");
    assertThat(names(t.lookup("joe@example.com", true))).containsExactly("a", "b", "any");
    assertThat(names(t.lookup("joe@example.org", false))).containsExactly("any");
  }

  @Test
  void percentStandsForTheFromDomain() throws Exception {
    SigningTable t = table("file:", "* %:news@%\n");
    assertThat(t.lookup("joe@example.com", false))
        .containsExactly(new SigningMatch("example.com", Optional.of("news@example.com")));
  }

  @Test
  void entriesNamingNoKeyStopLoading() {
    assertThatThrownBy(() -> table("file:", "example.com a\nexample.org missing\n"))
        .isInstanceOf(KeyTableException.class)
        .hasMessage(
            "SigningTable "
                + dir.resolve("signing")
                + ":2: example.org: key name"
                + " missing is not in the KeyTable");
  }
}
