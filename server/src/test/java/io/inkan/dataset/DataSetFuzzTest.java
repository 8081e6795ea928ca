package io.inkan.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random specifications and files: parsing fails only with {@link DataSetException}. */
class DataSetFuzzTest {
  private static final String ALPHABET =
      "csl:file:refile:db,=!/.*[]#:0123456789abcdefABCDEF \t\n\r%x";
  private static final String[] PIECES = {
    "csl:",
    "file:",
    "refile:",
    "ldap:",
    "db:",
    "/",
    ",",
    "=",
    "!",
    "::",
    ":",
    "/24",
    "/128",
    "[",
    "]",
    "192.0.2.1",
    "2001:db8::",
    ".example.com",
    "*",
    "#",
    " ",
    "255.255.255.0",
    "::ffff:"
  };

  @TempDir Path dir;

  @Test
  void randomSpecsAndFilesThrowOnlyDataSetException() throws Exception {
    SplittableRandom random = new SplittableRandom(20240501L);
    Path file = dir.resolve("f");
    InetAddress probe4 = InetAddress.getByName("192.0.2.1");
    InetAddress probe6 = InetAddress.getByName("2001:db8::1");
    int parsed = 0;
    for (int i = 0; i < 20_000; i++) {
      String text = random(random);
      Files.writeString(file, text.replace(',', '\n'));
      String spec =
          switch (random.nextInt(4)) {
            case 0 -> text;
            case 1 -> "csl:" + text;
            case 2 -> "file:" + file;
            default -> "refile:" + file;
          };
      try {
        DataSet set = DataSets.parse(spec, "fuzz.conf", i + 1);
        set.lookup(text);
        set.contains("192.0.2.1");
        parsed++;
        HostList hosts = HostList.of(set);
        hosts.matches(probe4, "mail.example.com");
        hosts.matches(probe6, text);
      } catch (DataSetException e) {
        assertThat(e.getMessage()).startsWith("fuzz.conf:" + (i + 1) + ": data set \"");
      }
    }
    assertThat(parsed).isGreaterThan(1_000);
  }

  private static String random(SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(12);
    for (int j = 0; j < n; j++) {
      if (random.nextBoolean()) {
        sb.append(PIECES[random.nextInt(PIECES.length)]);
      } else {
        sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return sb.toString();
  }
}
