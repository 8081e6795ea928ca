package io.inkan.dataset.je;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.inkan.dataset.DataSetEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DbDumpReaderTest {
  private static final String HEAD = "VERSION=3\nformat=print\ntype=hash\nh_nelem=2\nHEADER=END\n";

  private static List<DataSetEntry> read(String dump) throws JeTableException {
    return DbDumpReader.read(dump.getBytes(StandardCharsets.ISO_8859_1), "t.dump");
  }

  @Test
  void printableDumpsUnescapeAndDropNulTerminators() throws Exception {
    List<DataSetEntry> entries =
        read(
            HEAD
                + " example.com\\00\n example.com:sel:/k\\5cey\\00\n"
                + " a\\\\b\n v\\3ax\n"
                + " host.example\n \n"
                + " cut\n before\\00after\n"
                + "DATA=END\n");
    assertThat(entries)
        .extracting(DataSetEntry::key, DataSetEntry::value, e -> e.source().toString())
        .containsExactly(
            tuple("example.com", "example.com:sel:/k\\ey", "t.dump:6"),
            tuple("a\\b", "v:x", "t.dump:8"),
            tuple("host.example", null, "t.dump:10"),
            tuple("cut", "before", "t.dump:12"));
  }

  @Test
  void byteValueDumpsAndCrlfLinesAreRead() throws Exception {
    String dump =
        "VERSION=3\r\nformat=bytevalue\r\ntype=btree\r\nHEADER=END\r\n 6b00\r\n 76\r\nDATA=END\r\n";
    assertThat(read(dump))
        .extracting(DataSetEntry::key, DataSetEntry::value)
        .containsExactly(tuple("k", "v"));
  }

  @Test
  void utf8KeysAndValuesAreDecoded() throws Exception {
    assertThat(read(HEAD + " b\\c3\\bccher.example\n \\e2\\82\\ac\nDATA=END\n"))
        .extracting(DataSetEntry::key, DataSetEntry::value)
        .containsExactly(tuple("b\u00fccher.example", "\u20ac"));
  }

  @Test
  void onlyDumpsStartWithAVersionLine() {
    assertThat(DbDumpReader.looksLikeDump(HEAD.getBytes(StandardCharsets.US_ASCII))).isTrue();
    assertThat(DbDumpReader.looksLikeDump("example.com k\n".getBytes(StandardCharsets.US_ASCII)))
        .isFalse();
    assertThat(DbDumpReader.looksLikeDump(new byte[0])).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "VERSION=3\\nformat=print\\n k\\n|t.dump:3: a data line before HEADER=END",
        "format=print\\n|t.dump:1: a dump starts with VERSION=3",
        "VERSION=3\\ntype=recno\\n|t.dump:2: type=recno: only btree and hash",
        "VERSION=3\\nformat=xml\\n|t.dump:2: format=xml",
        "VERSION=3\\nHEADER=END\\n k\\n v\\n|t.dump:4: the dump ends without DATA=END",
        "VERSION=3\\nHEADER=END\\n k\\nDATA=END\\n|t.dump:3: a key without a value line",
        "VERSION=3\\nHEADER=END\\n k\\\\zz\\n v\\n|t.dump:3: a backslash must be followed",
        "VERSION=3\\nHEADER=END\\n k\\n v\\nnot data\\n|t.dump:5: expected a data line",
        "VERSION=3\\nHEADER=END\\n \\n v\\nDATA=END\\n|t.dump:3: an empty key",
        "VERSION=3\\nHEADER=END\\n a\\\\00b\\n v\\nDATA=END\\n|t.dump:3: a key holding a NUL",
        "VERSION=3\\nHEADER=END\\n \\\\ff\\n v\\nDATA=END\\n|t.dump:3: the key is not valid UTF-8",
        "VERSION=3\\nHEADER=END\\nDATA=END\\nVERSION=3\\n|t.dump:4: a second database",
        "VERSION=3\\n|t.dump:1: the dump ends before HEADER=END",
      })
  void badDumpsNameTheLine(String dump, String message) {
    String text = dump.replace("\\n", "\n").replace("\\\\", "\\");
    assertThatThrownBy(() -> read(text))
        .isInstanceOf(JeTableException.class)
        .hasMessageStartingWith(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {" 6", " 6g"})
  void badHexIsRefused(String line) {
    String dump = "VERSION=3\nformat=bytevalue\nHEADER=END\n" + line + "\n 76\nDATA=END\n";
    assertThatThrownBy(() -> read(dump))
        .isInstanceOf(JeTableException.class)
        .hasMessageStartingWith("t.dump:4: ");
  }
}
