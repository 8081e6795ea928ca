package io.inkan.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tag=value lists, RFC 6376 §3.2. */
class TagListTest {

  @Test
  void whiteSpaceAroundNamesAndValuesIsNotPartOfThem() throws DkimException {
    TagList tags = TagList.parse(" v = 1 ;\r\n\ta=rsa-sha256 ;\r\n d =\texample.com\r\n ;");
    assertThat(tags.get("v")).hasValue("1");
    assertThat(tags.get("a")).hasValue("rsa-sha256");
    assertThat(tags.get("d")).hasValue("example.com");
    assertThat(tags.firstName()).hasValue("v");
  }

  @Test
  void whiteSpaceInsideValuesIsKept() throws DkimException {
    TagList tags = TagList.parse("h=from :\r\n to; b=abc\r\n\tdef");
    assertThat(tags.get("h")).hasValue("from :\r\n to");
    assertThat(TagList.stripFws(tags.get("b").orElseThrow())).isEqualTo("abcdef");
  }

  @Test
  void emptyValueIsNotAMissingTag() throws DkimException {
    TagList tags = TagList.parse("p=; k=rsa");
    assertThat(tags.has("p")).isTrue();
    assertThat(tags.require("p")).isEmpty();
    assertThat(tags.has("t")).isFalse();
  }

  @Test
  void namesAreCaseSensitive() throws DkimException {
    TagList tags = TagList.parse("V=1; v=2");
    assertThat(tags.get("v")).hasValue("2");
    assertThat(tags.get("V")).hasValue("1");
  }

  @Test
  void emptyListsAndEmptyTagSpecsAreTolerated() throws DkimException {
    // Strictly only one final ";" is allowed; dkimpy, Mail::DKIM and OpenDKIM all skip empty
    // specs, and so do we.
    assertThat(TagList.parse("").asMap()).isEmpty();
    assertThat(TagList.parse(" ;\r\n ").asMap()).isEmpty();
    assertThat(TagList.parse("a=1;; b=2;").asMap()).containsOnlyKeys("a", "b");
  }

  @Test
  void unknownTagsAreKept() throws DkimException {
    assertThat(TagList.parse("x1 = extra ; foo_bar=baz").asMap())
        .containsEntry("x1", "extra")
        .containsEntry("foo_bar", "baz");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "v=1; a=x; v=1    | duplicate tag v=",
        "k=rsa; t; p=abc  | tag \"t\" has no value",
        "1a=b             | invalid tag name \"1a\"",
        "a b=c            | invalid tag name \"a b\"",
        "=c               | invalid tag name \"\"",
        "a-b=c            | invalid tag name \"a-b\"",
      })
  void malformedListsArePermerrorsNamingTheTag(String text, String reason) {
    assertThatThrownBy(() -> TagList.parse(text))
        .isInstanceOfSatisfying(
            DkimException.class, e -> assertThat(e.result()).isEqualTo(DkimResult.PERMERROR))
        .hasMessage(reason);
  }

  @Test
  void valuesOutsideValcharArePermerrorsNamingTheTag() {
    for (String bad : List.of("a=x\u0001y", "a=x\u007fy", "a=caf\u00e9")) {
      assertThatThrownBy(() -> TagList.parse("v=1; " + bad))
          .isInstanceOf(DkimException.class)
          .hasMessageStartingWith("tag a= has an invalid character");
    }
  }

  @Test
  void missingRequiredTagIsAPermerrorNamingTheTag() throws DkimException {
    TagList tags = TagList.parse("v=1");
    assertThatThrownBy(() -> tags.require("s"))
        .isInstanceOfSatisfying(
            DkimException.class, e -> assertThat(e.result()).isEqualTo(DkimResult.PERMERROR))
        .hasMessage("missing required tag s=");
  }

  @Test
  void stripFwsRemovesEveryWhiteSpaceCharacter() {
    assertThat(TagList.stripFws(" ab\r\n\tc d ")).isEqualTo("abcd");
  }
}
