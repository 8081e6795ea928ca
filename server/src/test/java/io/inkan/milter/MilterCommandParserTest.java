package io.inkan.milter;

import static io.inkan.milter.Wire.hex;
import static io.inkan.milter.Wire.parseOne;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every command from hand-written bytes, decoded whole and one byte at a time. */
class MilterCommandParserTest {
  @Test
  void negotiateFromPostfix37() {
    assertThat(parseOne(hex("0000000d 4f 00000006 000001ff 001fffff")))
        .isEqualTo(new MilterCommand.Negotiate(6, 0x1ff, 0x1fffff));
  }

  @Test
  void negotiateWithMdsFlags() {
    assertThat(parseOne(hex("0000000d 4f 00000006 000001ff 301fffff")))
        .isEqualTo(new MilterCommand.Negotiate(6, 0x1ff, 0x301fffff));
  }

  @Test
  void connectInet() {
    // "mail.example.org\0" '4' port 0xc350 (50000) "192.0.2.1\0"
    byte[] f =
        hex(
            "0000001f 43"
                + " 6d61696c2e6578616d706c652e6f726700"
                + " 34 c350"
                + " 3139322e302e322e3100");
    assertThat(parseOne(f))
        .isEqualTo(new MilterCommand.Connect("mail.example.org", '4', 50000, "192.0.2.1"));
  }

  @Test
  void connectInet6AndUnixAndUnknown() {
    assertThat(parseOne(Wire.frame('C', "[2001:db8::1]", hex("36 0019"), "2001:db8::1")))
        .isEqualTo(new MilterCommand.Connect("[2001:db8::1]", '6', 25, "2001:db8::1"));
    assertThat(parseOne(hex("00000011 43 6c6f63616c686f737400 4c 0000 2f7800")))
        .isEqualTo(new MilterCommand.Connect("localhost", 'L', 0, "/x"));
    assertThat(parseOne(hex("0000000c 43 6c6f63616c686f737400 55")))
        .isEqualTo(new MilterCommand.Connect("localhost", 'U', 0, ""));
  }

  @Test
  void macros() {
    // D 'C' "j\0mx.example\0{daemon_name}\0smtpd\0"
    byte[] f = Wire.frame('D', hex("43"), "j", "mx.example", "{daemon_name}", "smtpd");
    assertThat(Wire.hex(f))
        .isEqualTo(
            "00000023"
                + "44"
                + "43"
                + "6a00"
                + "6d782e6578616d706c6500"
                + "7b6461656d6f6e5f6e616d657d00"
                + "736d74706400");
    MilterCommand.Macros m = (MilterCommand.Macros) parseOne(f);
    assertThat(m.stage()).isEqualTo('C');
    assertThat(m.macros())
        .containsExactly(Map.entry("j", "mx.example"), Map.entry("{daemon_name}", "smtpd"));
    assertThat(parseOne(hex("00000002 44 4d"))).isEqualTo(new MilterCommand.Macros('M', Map.of()));
  }

  @Test
  void heloMailRcpt() {
    assertThat(parseOne(hex("0000000c 48 636c69656e742e6f726700")))
        .isEqualTo(new MilterCommand.Helo("client.org"));
    assertThat(parseOne(hex("0000000a 4d 3c61406f2e653e00 00")))
        .isEqualTo(new MilterCommand.Mail(List.of("<a@o.e>", "")));
    assertThat(parseOne(Wire.frame('M', "<a@o.e>", "SIZE=100", "BODY=8BITMIME")))
        .isEqualTo(new MilterCommand.Mail(List.of("<a@o.e>", "SIZE=100", "BODY=8BITMIME")));
    assertThat(parseOne(hex("00000009 52 3c62406f2e653e00")))
        .isEqualTo(new MilterCommand.Rcpt(List.of("<b@o.e>")));
  }

  @Test
  void headerKeepsBytes() {
    // Subject: "h\u00e9" sent as UTF-8 c3 a9 must come back as two ISO-8859-1 chars
    byte[] f = hex("0000000e 4c 5375626a65637400 20 68 c3a9 00");
    MilterCommand.Header h = (MilterCommand.Header) parseOne(f);
    assertThat(h.name()).isEqualTo("Subject");
    assertThat(h.value()).isEqualTo(" h\u00c3\u00a9");
  }

  @Test
  void bodyAndEndOfMessage() {
    assertThat(parseOne(hex("00000006 42 ff00 0d0a 80")))
        .isEqualTo(new MilterCommand.BodyChunk(hex("ff000d0a80")));
    assertThat(parseOne(hex("00000001 45"))).isEqualTo(new MilterCommand.EndOfMessage());
    assertThat(parseOne(hex("00000003 45 0d0a")))
        .isEqualTo(new MilterCommand.EndOfMessage(hex("0d0a")));
  }

  @Test
  void commandsWithoutArguments() {
    assertThat(parseOne(hex("00000001 41"))).isEqualTo(new MilterCommand.Abort());
    assertThat(parseOne(hex("00000001 4b"))).isEqualTo(new MilterCommand.QuitNewConnection());
    assertThat(parseOne(hex("00000001 4e"))).isEqualTo(new MilterCommand.EndOfHeaders());
    assertThat(parseOne(hex("00000001 51"))).isEqualTo(new MilterCommand.Quit());
    assertThat(parseOne(hex("00000001 54"))).isEqualTo(new MilterCommand.Data());
  }

  @Test
  void unknownSmtpCommand() {
    assertThat(parseOne(hex("00000006 55 4841434b00")))
        .isEqualTo(new MilterCommand.Unknown("HACK"));
  }

  @Test
  void malformedPayloadsNameCommandAndProblem() {
    assertThat(reason(hex("00000005 4f 00000006"))).contains("O (negotiate)").contains("12");
    assertThat(reason(hex("00000004 48 616263"))).contains("H (helo)").contains("NUL");
    assertThat(reason(hex("00000004 4c 6100 62"))).contains("L (header)").contains("value");
    assertThat(reason(hex("00000003 43 6100"))).contains("C (connect)").contains("family");
    assertThat(reason(hex("00000004 43 6100 34"))).contains("C (connect)").contains("port");
    assertThat(reason(hex("00000007 43 6100 34 0019 31")))
        .contains("C (connect)")
        .contains("address");
    assertThat(reason(hex("00000004 43 6100 58"))).contains("address family 0x58");
    assertThat(reason(hex("00000001 44"))).contains("D (macros)").contains("stage");
    assertThat(reason(hex("00000004 44 43 6900"))).contains("D (macros)").contains("macro i");
    assertThat(reason(hex("00000001 4d"))).contains("M (mail)");
    assertThat(reason(hex("00000003 52 6162"))).contains("R (rcpt)").contains("NUL");
    assertThat(reason(hex("00000002 7a 01"))).contains("unknown command byte 0x7a");
  }

  private static String reason(byte[] f) {
    MilterCommandParser.Parsed p = parseOne(f);
    assertThat(p).isInstanceOf(Malformed.class);
    return ((Malformed) p).reason();
  }
}
