package io.inkan.dns;

import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Key records from a file instead of DNS, like OpenDKIM's TestPublicKeys. One record per line,
 * {@code NAME VALUE}: VALUE is bare text to the end of the line, or zone-file style (any mix of
 * {@code IN}, {@code TXT}, an owner name, parentheses spanning lines and quoted strings, with a
 * {@code ;} comment after them), so a genkey {@code SELECTOR.txt} pasted after NAME is valid.
 * {@code NXDOMAIN} and {@code SERVFAIL} stand for those answers; a name on several lines has
 * several TXT records; {@code #} starts a comment line.
 */
public final class TestKeysFile implements KeyRecordLookup {
  private static final String NXDOMAIN = "NXDOMAIN";
  private static final String SERVFAIL = "SERVFAIL";

  private final Map<String, List<String>> records;

  private TestKeysFile(Map<String, List<String>> records) {
    this.records = records;
  }

  /**
   * Reads a file.
   *
   * @throws IOException when unreadable; {@link MalformedException} naming the line when malformed
   */
  public static TestKeysFile load(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  public static TestKeysFile parse(String source, String text) throws MalformedException {
    Map<String, List<String>> records = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int lineNo = i + 1;
      String[] parts = trimmed.split("\\s+", 2);
      if (parts.length < 2) {
        throw new MalformedException(source, lineNo, "no value after the name " + parts[0]);
      }
      String name = normalize(parts[0]);
      String value = parts[1];
      if (ZoneText.looksZoneStyle(value)) {
        StringBuilder joined = new StringBuilder(value);
        while (ZoneText.openParens(joined.toString()) > 0) {
          if (++i >= lines.length) {
            throw new MalformedException(source, lineNo, "unclosed parenthesis");
          }
          joined.append('\n').append(lines[i]);
        }
        try {
          value = ZoneText.strings(joined.toString());
        } catch (IllegalArgumentException e) {
          throw new MalformedException(source, lineNo, e.getMessage());
        }
      }
      records.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return new TestKeysFile(records);
  }

  @Override
  public CompletionStage<KeyLookupResult> lookup(String name) {
    List<String> values = records.get(normalize(name));
    KeyLookupResult result;
    if (values == null || values.equals(List.of(NXDOMAIN))) {
      result = new KeyLookupResult.NxDomain();
    } else if (values.equals(List.of(SERVFAIL))) {
      result = new KeyLookupResult.TempFail("SERVFAIL (test keys)");
    } else {
      result = KeyLookupResult.Found.of(values.toArray(String[]::new));
    }
    return CompletableFuture.completedFuture(result);
  }

  private static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** A malformed line, named by file and line number. */
  public static final class MalformedException extends IOException {
    public MalformedException(String source, int line, String reason) {
      super(source + ":" + line + ": " + reason);
    }
  }
}
