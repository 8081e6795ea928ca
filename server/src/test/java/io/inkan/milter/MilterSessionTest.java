package io.inkan.milter;

import static io.inkan.milter.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class MilterSessionTest {
  private static final MilterCommand.Negotiate POSTFIX =
      new MilterCommand.Negotiate(6, 0x1ff, 0x1fffff);
  private static final MilterSession.NoReply NONE = new MilterSession.NoReply();

  /** Records calls; end of message inserts a header and accepts. */
  static final class Recorder implements MilterHandler {
    final List<String> calls = new ArrayList<>();
    List<MilterReply> eom =
        List.of(new MilterReply.InsertHeader(0, "X-Test", "ok"), new MilterReply.Accept());
    MilterReply.StepReply atMail = CONTINUE;

    @Override
    public MilterReply.StepReply onConnect(MilterContext ctx) {
      calls.add("connect " + ctx.connection().address() + " j=" + ctx.macro("j"));
      return CONTINUE;
    }

    @Override
    public MilterReply.StepReply onMail(MilterContext ctx, List<String> args) {
      calls.add(
          "mail "
              + ctx.sender()
              + " #"
              + ctx.messageNumber()
              + " auth="
              + ctx.macro("auth_authen"));
      return atMail;
    }

    @Override
    public MilterReply.StepReply onRcpt(MilterContext ctx, List<String> args) {
      calls.add("rcpt " + args.get(0));
      return CONTINUE;
    }

    @Override
    public MilterReply.StepReply onHeader(MilterContext ctx, String name, String value) {
      calls.add("header " + name + ":" + value);
      return CONTINUE;
    }

    @Override
    public MilterReply.StepReply onEndOfHeaders(MilterContext ctx) {
      calls.add("eoh");
      return CONTINUE;
    }

    @Override
    public MilterReply.StepReply onBody(MilterContext ctx, byte[] chunk) {
      calls.add("body " + chunk.length);
      return CONTINUE;
    }

    @Override
    public CompletionStage<List<MilterReply>> onEndOfMessage(MilterContext ctx) {
      calls.add("eom i=" + ctx.macro("{i}"));
      return CompletableFuture.completedFuture(eom);
    }

    @Override
    public void onAbort(MilterContext ctx) {
      calls.add("abort");
    }

    @Override
    public void onClose(MilterContext ctx) {
      calls.add("close");
    }
  }

  private final Recorder handler = new Recorder();
  private final MilterSession session = new MilterSession(handler, NegotiationTest.DKIM);

  private MilterSession.Outcome feed(MilterCommand c) {
    return session.handle(c);
  }

  private void connect() {
    MilterSession.Outcome o = feed(POSTFIX);
    assertThat(o).isInstanceOf(MilterSession.Reply.class);
    assertThat(((MilterSession.Reply) o).replies().get(0))
        .isInstanceOf(MilterReply.Negotiate.class);
    assertThat(feed(new MilterCommand.Macros('C', Map.of("j", "mx.example")))).isEqualTo(NONE);
    assertThat(feed(new MilterCommand.Connect("c.example", '4', 4711, "192.0.2.7")))
        .isEqualTo(NONE);
    assertThat(session.state()).isEqualTo(MilterSession.State.READY);
  }

  private String message(String from) {
    assertThat(feed(new MilterCommand.Macros('M', Map.of("{auth_authen}", "joe")))).isEqualTo(NONE);
    assertThat(feed(new MilterCommand.Mail(List.of("<" + from + ">"))))
        .isEqualTo(new MilterSession.Reply(List.of(new MilterReply.Continue())));
    assertThat(feed(new MilterCommand.Rcpt(List.of("<to@example.net>")))).isEqualTo(NONE);
    assertThat(feed(new MilterCommand.Header("From", " " + from))).isEqualTo(NONE);
    assertThat(feed(new MilterCommand.EndOfHeaders())).isEqualTo(NONE);
    assertThat(feed(new MilterCommand.BodyChunk(new byte[] {'h', 'i', '\r', '\n'})))
        .isEqualTo(NONE);
    assertThat(feed(new MilterCommand.Macros('E', Map.of("i", "4711AB")))).isEqualTo(NONE);
    MilterSession.Outcome o = feed(new MilterCommand.EndOfMessage());
    assertThat(o).isInstanceOf(MilterSession.Pending.class);
    MilterSession.Reply r = ((MilterSession.Pending) o).reply().toCompletableFuture().join();
    assertThat(r.problem()).isEmpty();
    assertThat(session.state()).isEqualTo(MilterSession.State.READY);
    return Wire.hex(r.bytes());
  }

  @Test
  void oneMessage() {
    connect();
    assertThat(message("a@example.com"))
        .isEqualTo("0000000f" + "69" + "00000000" + "582d5465737400" + "6f6b00" + "0000000161");
    assertThat(handler.calls)
        .containsExactly(
            "connect 192.0.2.7 j=mx.example",
            "mail a@example.com #1 auth=joe",
            "rcpt <to@example.net>",
            "header From: a@example.com",
            "eoh",
            "body 4",
            "eom i=4711AB");
    assertThat(feed(new MilterCommand.Quit())).isEqualTo(new MilterSession.Quit());
    assertThat(handler.calls).endsWith("close");
    assertThat(feed(new MilterCommand.Abort())).isInstanceOf(MilterSession.Close.class);
  }

  @Test
  void twoMessagesOnOneConnection() {
    connect();
    message("a@example.com");
    assertThat(session.context().macro("i")).isEqualTo("4711AB");
    message("b@example.com");
    assertThat(handler.calls).contains("mail b@example.com #2 auth=joe");
    assertThat(session.context().recipients()).hasSize(1);
  }

  @Test
  void newTransactionClearsLaterMacros() {
    connect();
    message("a@example.com");
    feed(new MilterCommand.Mail(List.of("<c@example.com>")));
    assertThat(session.context().macro("i")).as("EOM macros cleared by M").isNull();
    assertThat(session.context().macro("j")).isEqualTo("mx.example");
  }

  @Test
  void abortMidBodyThenNewMessage() {
    connect();
    feed(new MilterCommand.Mail(List.of("<a@example.com>")));
    feed(new MilterCommand.Rcpt(List.of("<x@example.net>")));
    feed(new MilterCommand.Header("Subject", "s"));
    feed(new MilterCommand.EndOfHeaders());
    feed(new MilterCommand.BodyChunk(new byte[10]));
    assertThat(feed(new MilterCommand.Abort())).isEqualTo(NONE);
    assertThat(session.state()).isEqualTo(MilterSession.State.READY);
    assertThat(handler.calls).endsWith("abort");
    assertThat(feed(new MilterCommand.Abort())).as("abort outside a transaction").isEqualTo(NONE);
    message("b@example.com");
    assertThat(handler.calls.stream().filter("abort"::equals)).hasSize(1);
  }

  @Test
  void quitNewConnectionThenNewNegotiation() {
    connect();
    message("a@example.com");
    assertThat(feed(new MilterCommand.QuitNewConnection())).isEqualTo(NONE);
    assertThat(session.state()).isEqualTo(MilterSession.State.CONNECT);
    assertThat(session.context().macro("j")).isNull();
    connect();
    message("b@example.com");
    assertThat(handler.calls).contains("mail b@example.com #1 auth=joe");
  }

  @Test
  void quitNewConnectionThenConnectAsLibmilterExpects() {
    connect();
    message("a@example.com");
    feed(new MilterCommand.QuitNewConnection());
    assertThat(handler.calls).endsWith("close");
    assertThat(feed(new MilterCommand.Connect("d.example", '4', 4712, "192.0.2.8")))
        .isEqualTo(NONE);
    assertThat(session.state()).isEqualTo(MilterSession.State.READY);
    message("c@example.com");
    assertThat(handler.calls).contains("mail c@example.com #1 auth=joe");
    assertThat(reason(POSTFIX)).contains("out of order");
  }

  @Test
  void heloAfterMailAbandonsTheTransaction() {
    connect();
    feed(new MilterCommand.Mail(List.of("<a@example.com>")));
    // NOHELO was asked for, not NR_HELO: an MTA that sends HELO anyway gets an answer
    assertThat(feed(new MilterCommand.Helo("again")))
        .isEqualTo(new MilterSession.Reply(List.of(new MilterReply.Continue())));
    assertThat(handler.calls).endsWith("abort");
    assertThat(session.state()).isEqualTo(MilterSession.State.READY);
  }

  @Test
  void outOfOrderCommandsClose() {
    connect();
    assertThat(reason(new MilterCommand.BodyChunk(new byte[1])))
        .isEqualTo("B (BodyChunk) out of order in state READY");
    assertThat(handler.calls).endsWith("close");
  }

  @Test
  void headerAfterEndOfHeadersCloses() {
    connect();
    feed(new MilterCommand.Mail(List.of("<a@example.com>")));
    feed(new MilterCommand.Rcpt(List.of("<x@example.net>")));
    feed(new MilterCommand.EndOfHeaders());
    assertThat(reason(new MilterCommand.Header("X", "y"))).contains("L (Header) out of order");
    assertThat(handler.calls).endsWith("abort", "close");
  }

  @Test
  void moreOutOfOrder() {
    assertThat(reason(new MilterCommand.Connect("h", 'U', 0, ""))).contains("before O");
    MilterSession s2 = new MilterSession(handler, NegotiationTest.DKIM);
    s2.handle(POSTFIX);
    assertThat(s2.handle(POSTFIX)).isInstanceOf(MilterSession.Close.class);
    MilterSession s3 = new MilterSession(handler, NegotiationTest.DKIM);
    s3.handle(POSTFIX);
    assertThat(s3.handle(new MilterCommand.Mail(List.of("<a@b>"))))
        .as("M before C without NOCONNECT")
        .isInstanceOf(MilterSession.Close.class);
    MilterSession s4 = new MilterSession(handler, NegotiationTest.DKIM);
    s4.handle(POSTFIX);
    s4.handle(new MilterCommand.Connect("h", 'U', 0, ""));
    s4.handle(new MilterCommand.Mail(List.of("<a@b>")));
    assertThat(s4.handle(new MilterCommand.EndOfHeaders()))
        .as("N before R")
        .isInstanceOf(MilterSession.Close.class);
  }

  @Test
  void oversizeFrameCloses() {
    MilterFrameDecoder d = new MilterFrameDecoder();
    List<MilterFrameDecoder.Decoded> out = d.feed(hex("00100000 42"));
    MilterSession.Outcome o = session.handle((Malformed) out.get(0));
    assertThat(o).isInstanceOf(MilterSession.Close.class);
    assertThat(((MilterSession.Close) o).reason()).contains("exceeds the maximum payload");
  }

  @Test
  void headerLimitCloses() {
    MilterSession s =
        new MilterSession(
            handler,
            NegotiationTest.DKIM,
            new MilterSession.Settings(100, new MilterReply.Tempfail()));
    s.handle(POSTFIX);
    s.handle(new MilterCommand.Connect("h", 'U', 0, ""));
    s.handle(new MilterCommand.Mail(List.of("<a@b>")));
    s.handle(new MilterCommand.Rcpt(List.of("<c@d>")));
    assertThat(s.handle(new MilterCommand.Header("X", "y".repeat(90)))).isEqualTo(NONE);
    MilterSession.Outcome o = s.handle(new MilterCommand.Header("X", "y".repeat(10)));
    assertThat(((MilterSession.Close) o).reason()).contains("exceed 100 bytes");
  }

  @Test
  void badEndOfMessageAnswerFallsBackToTempfail() {
    connect();
    handler.eom = List.of(new MilterReply.Accept(), new MilterReply.AddHeader("X", "y"));
    String bytes = messageProblem();
    assertThat(bytes).isEqualTo("0000000174");
    handler.eom = List.of(new MilterReply.Accept());
    message("ok@example.com");
  }

  @Test
  void rejectAtMailEndsTheTransaction() {
    connect();
    handler.atMail = new MilterReply.Reject();
    assertThat(feed(new MilterCommand.Mail(List.of("<a@b>"))))
        .isEqualTo(new MilterSession.Reply(List.of(new MilterReply.Reject())));
    assertThat(session.state()).isEqualTo(MilterSession.State.READY);
    assertThat(feed(new MilterCommand.Abort())).isEqualTo(NONE);
  }

  @Test
  void wholeSessionFromBytes() {
    byte[] stream =
        concat(
            hex("0000000d 4f 00000006 000001ff 001fffff"),
            Wire.frame('D', hex("43"), "j", "mx"),
            Wire.frame('C', "c.example", hex("34 1267"), "192.0.2.7"),
            Wire.frame('M', "<a@example.com>"),
            Wire.frame('R', "<b@example.net>"),
            Wire.frame('L', "From", " a@example.com"),
            Wire.frame('N'),
            Wire.frame('B', "body\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            Wire.frame('E'),
            Wire.frame('Q'));
    MilterFrameDecoder decoder = new MilterFrameDecoder();
    List<String> written = new ArrayList<>();
    for (byte b : stream) {
      for (MilterFrameDecoder.Decoded d : decoder.feed(new byte[] {b})) {
        MilterSession.Outcome o = session.handle(MilterCommandParser.parse((MilterFrame) d));
        decoder.setMaxPayloadSize(session.maxPayloadSize());
        if (o instanceof MilterSession.Reply r) {
          written.add(hex(r.bytes()));
        } else if (o instanceof MilterSession.Pending p) {
          written.add(hex(p.reply().toCompletableFuture().join().bytes()));
        } else {
          written.add(o.getClass().getSimpleName());
        }
      }
    }
    assertThat(decoder.isIdle()).isTrue();
    assertThat(written)
        .containsExactly(
            written.get(0),
            "NoReply",
            "NoReply",
            "0000000163",
            "NoReply",
            "NoReply",
            "NoReply",
            "NoReply",
            "0000000f6900000000582d5465737400" + "6f6b00" + "0000000161",
            "Quit");
  }

  private String messageProblem() {
    feed(new MilterCommand.Mail(List.of("<a@b>")));
    feed(new MilterCommand.Rcpt(List.of("<c@d>")));
    feed(new MilterCommand.EndOfHeaders());
    MilterSession.Pending p = (MilterSession.Pending) feed(new MilterCommand.EndOfMessage());
    MilterSession.Reply r = p.reply().toCompletableFuture().join();
    assertThat(r.problem()).get().asString().contains("exactly one verdict");
    return hex(r.bytes());
  }

  private String reason(MilterCommand c) {
    MilterSession.Outcome o = session.handle(c);
    assertThat(o).isInstanceOf(MilterSession.Close.class);
    return ((MilterSession.Close) o).reason();
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
