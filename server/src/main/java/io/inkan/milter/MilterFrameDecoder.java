package io.inkan.milter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental milter framing (libmilter {@code comm.c}): a uint32 big-endian length that counts the
 * command byte, the command byte, then length-1 payload bytes. Feed it chunks of any size, down to
 * one byte; it holds at most one partial frame. A zero length or a payload over the maximum yields
 * a {@link Malformed} value, after which the decoder ignores all further input (the connection is
 * to be closed).
 */
public final class MilterFrameDecoder {
  /** libmilter's default {@code MILTER_MAX_DATA_SIZE}. */
  public static final int DEFAULT_MAX_PAYLOAD = 65535;

  /** {@code MILTER_MDS_1M}, the largest size negotiation can raise the limit to. */
  public static final int LARGEST_MAX_PAYLOAD = 1024 * 1024 - 1;

  /** What the decoder yields: a whole frame or the reason the stream is broken. */
  public sealed interface Decoded permits MilterFrame, Malformed {}

  private enum State {
    LENGTH,
    COMMAND,
    PAYLOAD,
    FAILED
  }

  private State state = State.LENGTH;
  private final byte[] lengthBytes = new byte[4];
  private int lengthRead;
  private int payloadLength;
  private char command;
  private byte[] payload;
  private int payloadRead;
  private int maxPayloadSize;

  /** A decoder allowing {@link #DEFAULT_MAX_PAYLOAD} bytes of payload. */
  public MilterFrameDecoder() {
    this(DEFAULT_MAX_PAYLOAD);
  }

  /**
   * @param maxPayloadSize largest payload accepted, {@value #DEFAULT_MAX_PAYLOAD} to {@value
   *     #LARGEST_MAX_PAYLOAD}
   */
  public MilterFrameDecoder(int maxPayloadSize) {
    setMaxPayloadSize(maxPayloadSize);
  }

  /** Changes the largest payload accepted from the next frame on (after negotiation). */
  public void setMaxPayloadSize(int maxPayloadSize) {
    if (maxPayloadSize < DEFAULT_MAX_PAYLOAD || maxPayloadSize > LARGEST_MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "maxPayloadSize: "
              + maxPayloadSize
              + " (expected: "
              + DEFAULT_MAX_PAYLOAD
              + "-"
              + LARGEST_MAX_PAYLOAD
              + ")");
    }
    this.maxPayloadSize = maxPayloadSize;
  }

  public int maxPayloadSize() {
    return maxPayloadSize;
  }

  /** True between frames: nothing of a partial frame is held (for stall detection at the edge). */
  public boolean isIdle() {
    return state == State.LENGTH && lengthRead == 0;
  }

  /** True once a {@link Malformed} value was yielded; all later input is ignored. */
  public boolean isFailed() {
    return state == State.FAILED;
  }

  /** Feeds a whole array. */
  public List<Decoded> feed(byte[] bytes) {
    return feed(ByteBuffer.wrap(bytes));
  }

  /**
   * Consumes all remaining bytes of {@code in} and returns the frames completed by them, in order;
   * the last element is a {@link Malformed} if the stream broke.
   */
  public List<Decoded> feed(ByteBuffer in) {
    List<Decoded> out = new ArrayList<>(2);
    while (in.hasRemaining() && state != State.FAILED) {
      switch (state) {
        case LENGTH -> readLength(in, out);
        case COMMAND -> readCommand(in, out);
        case PAYLOAD -> readPayload(in, out);
        case FAILED -> throw new AssertionError();
      }
    }
    in.position(in.limit());
    return out;
  }

  private void readLength(ByteBuffer in, List<Decoded> out) {
    while (lengthRead < 4 && in.hasRemaining()) {
      lengthBytes[lengthRead++] = in.get();
    }
    if (lengthRead < 4) {
      return;
    }
    long length = ByteBuffer.wrap(lengthBytes).getInt() & 0xffffffffL;
    if (length == 0) {
      fail(out, "frame length 0 (a frame holds at least the command byte)");
    } else if (length - 1 > maxPayloadSize) {
      fail(
          out,
          "frame length "
              + length
              + " exceeds the maximum payload of "
              + maxPayloadSize
              + " bytes (length bytes "
              + Malformed.hex(lengthBytes, 0, 4, 4)
              + ")");
    } else {
      payloadLength = (int) (length - 1);
      state = State.COMMAND;
    }
  }

  private void readCommand(ByteBuffer in, List<Decoded> out) {
    command = (char) (in.get() & 0xff);
    payload = new byte[payloadLength];
    payloadRead = 0;
    state = State.PAYLOAD;
    completeIfDone(out);
  }

  private void readPayload(ByteBuffer in, List<Decoded> out) {
    int n = Math.min(in.remaining(), payloadLength - payloadRead);
    in.get(payload, payloadRead, n);
    payloadRead += n;
    completeIfDone(out);
  }

  private void completeIfDone(List<Decoded> out) {
    if (payloadRead == payloadLength) {
      out.add(new MilterFrame(command, payload));
      payload = null;
      lengthRead = 0;
      state = State.LENGTH;
    }
  }

  private void fail(List<Decoded> out, String reason) {
    state = State.FAILED;
    out.add(new Malformed(reason));
  }
}
