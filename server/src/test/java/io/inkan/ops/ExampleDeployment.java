package io.inkan.ops;

import io.inkan.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One {@code ops/examples/NAME} folder installed under a temporary root as its README installs it
 * under {@code /}: every file but the README and the MTA snippets goes to {@code ROOT/etc/inkan/},
 * and every absolute {@code /etc/}, {@code /run/} or {@code /var/} path in them is moved below
 * {@code ROOT}. The configuration can then be edited key by key, as an operator would.
 */
final class ExampleDeployment {
  private static final Pattern SYSTEM_PATH = Pattern.compile("(^|[\\s:=,])/(etc|run|var)/");

  private final Path source;
  private final Path root;
  private final List<Path> installed = new ArrayList<>();

  private ExampleDeployment(Path source, Path root) {
    this.source = source;
    this.root = root;
  }

  /** The example folder {@code ops/examples/NAME} of this repository. */
  static Path exampleDir(String name) {
    return Prerequisites.repoDir().resolve("ops").resolve("examples").resolve(name);
  }

  /** Installs {@code ops/examples/NAME} below {@code root}. */
  static ExampleDeployment install(String name, Path root) throws IOException {
    ExampleDeployment d = new ExampleDeployment(exampleDir(name), root);
    Path etc = Files.createDirectories(d.path("/etc/inkan"));
    Files.createDirectories(d.path("/run/inkan"));
    Files.createDirectories(d.path("/var/lib/inkan"));
    try (Stream<Path> files = Files.list(d.source)) {
      for (Path f : files.sorted().toList()) {
        String name2 = f.getFileName().toString();
        if (Files.isRegularFile(f) && !name2.endsWith(".md") && !name2.startsWith("postfix-")) {
          String text = Files.readString(f, StandardCharsets.UTF_8);
          d.installed.add(Files.writeString(etc.resolve(name2), d.relocate(text)));
        }
      }
    }
    return d;
  }

  /**
   * {@code /etc/...}, {@code /run/...} or {@code /var/...} in every absolute path moved to root.
   */
  private String relocate(String text) {
    Matcher m = SYSTEM_PATH.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(m.group(1) + root + "/" + m.group(2) + "/"));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Where an absolute path of the example lives in this deployment. */
  Path path(String absolute) {
    if (!absolute.startsWith("/")) {
      throw new IllegalArgumentException("not absolute: " + absolute);
    }
    return root.resolve(absolute.substring(1));
  }

  /** A file of the example folder itself (a README, an MTA snippet). */
  Path source(String file) {
    return source.resolve(file);
  }

  /** {@code ROOT/etc/inkan/inkan.conf}. */
  Path conf() {
    return path("/etc/inkan/inkan.conf");
  }

  /** The installed configuration's text. */
  String confText() throws IOException {
    return Files.readString(conf(), StandardCharsets.UTF_8);
  }

  /** The value of the active line for {@code key} (the last, as the last one wins), or null. */
  String value(String key) throws IOException {
    String found = null;
    for (String line : confText().split("\n", -1)) {
      String[] parts = line.strip().split("\\s+", 2);
      if (parts.length == 2 && parts[0].equalsIgnoreCase(key)) {
        found = parts[1];
      }
    }
    return found;
  }

  /** Replaces every active line of {@code key} by {@code key value} (appends when none). */
  void set(String key, String value) throws IOException {
    if (!edit(key, key + " " + value)) {
      append(key + " " + value);
    }
  }

  /** Drops every active line of {@code key}. */
  void remove(String key) throws IOException {
    edit(key, null);
  }

  /** Turns every commented-out line of {@code key} ({@code #KEY value}) into an active one. */
  void uncomment(String key) throws IOException {
    List<String> out = new ArrayList<>();
    boolean any = false;
    for (String line : confText().split("\n", -1)) {
      boolean commentedOut =
          line.length() > 1 && line.charAt(0) == '#' && !Character.isWhitespace(line.charAt(1));
      if (commentedOut && isKeyLine(line.substring(1), key)) {
        out.add(line.substring(1));
        any = true;
      } else {
        out.add(line);
      }
    }
    if (!any) {
      throw new IllegalStateException(conf() + " has no commented-out " + key + " line");
    }
    Files.writeString(conf(), String.join("\n", out));
  }

  /** Adds a line at the end of the configuration. */
  void append(String line) throws IOException {
    String text = confText();
    Files.writeString(conf(), text + (text.endsWith("\n") ? "" : "\n") + line + "\n");
  }

  /** Whether any installed file holds {@code text}. */
  boolean mentions(String text) throws IOException {
    for (Path f : installed) {
      if (Files.readString(f, StandardCharsets.UTF_8).contains(text)) {
        return true;
      }
    }
    return false;
  }

  /** Replaces {@code from} by {@code to} in every installed file (server addresses). */
  void replaceEverywhere(String from, String to) throws IOException {
    for (Path f : installed) {
      Files.writeString(f, Files.readString(f, StandardCharsets.UTF_8).replace(from, to));
    }
  }

  /**
   * Makes the configuration loadable by a test JVM: {@code UserID} stays only when it can be
   * checked ({@code -n} as root, with {@code nobody} standing in for the example's user); the admin
   * endpoint takes a free port.
   */
  void forCheck() throws IOException {
    if (value("UserID") != null) {
      if (runningAsRoot()) {
        set("UserID", "nobody");
      } else {
        remove("UserID");
      }
    }
    if (value("AdminListen") != null) {
      set("AdminListen", "127.0.0.1:0");
    }
  }

  /**
   * Makes the configuration servable inside the test JVM: the milter on a unix socket below root
   * (what {@link io.inkan.testing.MtaSimulator} speaks), and no {@code UserID}, which would switch
   * the whole test JVM to another user.
   *
   * @return the socket
   */
  Path forServing(String socketName) throws IOException {
    forCheck();
    remove("UserID");
    Path socket = root.resolve(socketName);
    set("Socket", "local:" + socket);
    return socket;
  }

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private boolean edit(String key, String replacement) throws IOException {
    List<String> out = new ArrayList<>();
    boolean any = false;
    for (String line : confText().split("\n", -1)) {
      if (isKeyLine(line, key)) {
        any = true;
        if (replacement != null) {
          out.add(replacement);
        }
      } else {
        out.add(line);
      }
    }
    Files.writeString(conf(), String.join("\n", out));
    return any;
  }

  private static boolean isKeyLine(String line, String key) {
    String[] parts = line.strip().split("\\s+", 2);
    return !line.startsWith("#")
        && parts[0].toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return source.getFileName() + " at " + root;
  }
}
