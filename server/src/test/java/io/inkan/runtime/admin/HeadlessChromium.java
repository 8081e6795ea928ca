package io.inkan.runtime.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code chromium} run headless and driven over the DevTools protocol (a WebSocket from
 * {@code java.net.http}, no Selenium): navigate, evaluate JavaScript, take a screenshot.
 */
public final class HeadlessChromium implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Pattern LISTENING =
      Pattern.compile("DevTools listening on (ws://127\\.0\\.0\\.1:(\\d+)/\\S+)");
  private static final long TIMEOUT_S = 30;

  private final Process process;
  private final StringBuffer output;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, StringBuffer output, WebSocket socket) {
    this.process = process;
    this.output = output;
    this.socket = socket;
  }

  /** Whether Debian's chromium is installed. */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Starts a browser with a fresh profile in {@code profile} and attaches to its first tab. */
  public static HeadlessChromium launch(Path profile, int width, int height) throws Exception {
    Process p =
        new ProcessBuilder(
                BINARY.toString(),
                "--headless",
                "--no-sandbox", // tests may run as root
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "about:blank")
            .redirectErrorStream(true)
            .start();
    StringBuffer output = new StringBuffer();
    CompletableFuture<Matcher> listening = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  output.append(line).append('\n');
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    listening.complete(m);
                  }
                }
              } catch (IOException e) {
                listening.completeExceptionally(e);
              }
              listening.completeExceptionally(new IOException("chromium ended:\n" + output));
            },
            "chromium-output");
    reader.setDaemon(true);
    reader.start();
    try {
      Matcher m = listening.get(TIMEOUT_S, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      String list =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + m.group(2) + "/json/list"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      String page = null;
      for (Object o : new JsonArray(list)) {
        JsonObject target = (JsonObject) o;
        if ("page".equals(target.getString("type"))) {
          page = target.getString("webSocketDebuggerUrl");
          break;
        }
      }
      if (page == null) {
        throw new IOException("chromium has no page target: " + list);
      }
      HeadlessChromium[] self = new HeadlessChromium[1];
      WebSocket ws =
          http.newWebSocketBuilder()
              .buildAsync(URI.create(page), new Listener(self))
              .get(TIMEOUT_S, TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(p, output, ws);
      return self[0];
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** One DevTools command; its {@code result}. */
  public JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket
        .sendText(
            new JsonObject().put("id", id).put("method", method).put("params", params).encode(),
            true)
        .get(TIMEOUT_S, TimeUnit.SECONDS);
    JsonObject reply = answer.get(TIMEOUT_S, TimeUnit.SECONDS);
    if (reply.containsKey("error")) {
      throw new IOException(method + ": " + reply.getJsonObject("error").encode());
    }
    return reply.getJsonObject("result", new JsonObject());
  }

  public void navigate(String url) throws Exception {
    call("Page.enable", new JsonObject());
    call("Page.navigate", new JsonObject().put("url", url));
  }

  /** The value of a JavaScript expression in the page (a string, number, boolean or null). */
  public Object evaluate(String expression) throws Exception {
    JsonObject r =
        call(
            "Runtime.evaluate",
            new JsonObject().put("expression", expression).put("returnByValue", true));
    if (r.containsKey("exceptionDetails")) {
      throw new IOException(expression + ": " + r.getJsonObject("exceptionDetails").encode());
    }
    return r.getJsonObject("result").getValue("value");
  }

  /** A PNG of the whole page. */
  public byte[] screenshot() throws Exception {
    JsonObject r =
        call(
            "Page.captureScreenshot",
            new JsonObject().put("format", "png").put("captureBeyondViewport", true));
    return Base64.getDecoder().decode(r.getString("data"));
  }

  /** What the browser printed (for failure messages). */
  public String output() {
    return output.toString();
  }

  @Override
  public void close() throws Exception {
    try {
      // a clean exit removes the browser's /tmp/org.chromium.Chromium.* folder; SIGTERM does not
      socket.sendText(
          new JsonObject().put("id", ids.incrementAndGet()).put("method", "Browser.close").encode(),
          true);
    } catch (RuntimeException e) {
      // destroyed below
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private void answer(String text) {
    JsonObject message = new JsonObject(text);
    Integer id = message.getInteger("id");
    if (id != null) {
      CompletableFuture<JsonObject> f = pending.remove(id);
      if (f != null) {
        f.complete(message);
      }
    }
  }

  /** Gathers text frames into messages and hands each to the browser object. */
  private static final class Listener implements WebSocket.Listener {
    private final HeadlessChromium[] owner;
    private final StringBuilder text = new StringBuilder();

    Listener(HeadlessChromium[] owner) {
      this.owner = owner;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        while (owner[0] == null) {
          Thread.onSpinWait(); // the first answer cannot come before the first call
        }
        owner[0].answer(message);
      }
      ws.request(1);
      return null;
    }
  }
}
