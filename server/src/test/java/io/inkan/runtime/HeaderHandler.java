package io.inkan.runtime;

import io.inkan.milter.MilterContext;
import io.inkan.milter.MilterHandler;
import io.inkan.milter.MilterReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongUnaryOperator;

/**
 * A trivial filter: at end of message, on the crypto pool, inserts {@code X-Inkan: message N} at
 * the top and continues. The answer to message N is delayed by {@code delay(N)} ms (negative: never
 * answered).
 */
final class HeaderHandler implements MilterHandler {
  private final Executor pool;
  private final LongUnaryOperator delay;
  private final AtomicInteger closes;

  HeaderHandler(Executor pool, LongUnaryOperator delay, AtomicInteger closes) {
    this.pool = pool;
    this.delay = delay;
    this.closes = closes;
  }

  static String answer(long n) {
    return MilterClient.reply('i', MilterClient.int32(0), "X-Inkan", "message " + n)
        + MilterClient.reply('c');
  }

  @Override
  public CompletionStage<List<MilterReply>> onEndOfMessage(MilterContext ctx) {
    long n = ctx.messageNumber();
    List<MilterReply> replies =
        List.of(
            new MilterReply.InsertHeader(0, "X-Inkan", "message " + n), new MilterReply.Continue());
    long d = delay.applyAsLong(n);
    if (d < 0) {
      return new CompletableFuture<>();
    }
    Executor e = d == 0 ? pool : CompletableFuture.delayedExecutor(d, TimeUnit.MILLISECONDS, pool);
    return CompletableFuture.supplyAsync(() -> replies, e);
  }

  @Override
  public void onClose(MilterContext ctx) {
    closes.incrementAndGet();
  }
}
