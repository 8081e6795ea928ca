package io.inkan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cli.InkanTestServer;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.runtime.admin.AdminHttp;
import io.inkan.testing.MtaSimulator;
import io.inkan.testing.Prerequisites;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/dashboards/}: the Grafana dashboard and the Prometheus alert rules are well formed,
 * and every Inkan or JVM metric they query, with every label they match on, is in the {@code
 * /metrics} of a real Inkan (with an in-process query cache and an SQL data set) that has signed
 * and verified a message, unless it appears only after an event the test does not cause ({@link
 * #LAZY}).
 */
class DashboardsTest {
  /** Metrics exported only after an event this test does not cause: name to reason. */
  private static final Map<String, String> LAZY =
      Map.of(
          "inkan_milter_connections_refused_total",
          "registered at the first refused connection (MaxConnections, peer list)",
          "jvm_gc_pause_seconds_sum",
          "registered at the first garbage collection");

  /** Labels Prometheus adds at scrape time, not Inkan. */
  private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "le", "quantile");

  private static final Pattern METRIC = Pattern.compile("\\b((?:inkan|jvm|process)_[a-z0-9_]+)");
  private static final Pattern SELECTOR =
      Pattern.compile("\\b((?:inkan|jvm|process)_[a-z0-9_]+)\\{([^}]*)}");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

  private static final String MESSAGE =
      "From: Joe <joe@example.com>\r\nTo: ann@example.net\r\nSubject: dashboards\r\n"
          + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <dash@example.com>\r\n\r\n"
          + "Counted.\r\n";

  @TempDir Path dir;

  private static Path dashboards() {
    return Prerequisites.repoDir().resolve("ops").resolve("dashboards");
  }

  @Test
  void dashboardIsAGrafanaDashboardWithDatasourceAndInstanceVariables() throws Exception {
    JsonObject d = dashboard();
    assertThat(d.getString("title")).isNotBlank();
    assertThat(d.getString("uid")).isNotBlank();
    assertThat(d.getInteger("schemaVersion")).isBetween(36, 41);
    Map<String, JsonObject> vars = new LinkedHashMap<>();
    for (Object v : d.getJsonObject("templating").getJsonArray("list")) {
      vars.put(((JsonObject) v).getString("name"), (JsonObject) v);
    }
    assertThat(vars).containsKeys("datasource", "instance");
    assertThat(vars.get("datasource").getString("type")).isEqualTo("datasource");
    assertThat(vars.get("datasource").getString("query")).isEqualTo("prometheus");
    assertThat(vars.get("instance").getString("type")).isEqualTo("query");
    List<JsonObject> panels = panels(d);
    assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
    Set<Integer> ids = new TreeSet<>();
    for (JsonObject p : panels) {
      assertThat(ids.add(p.getInteger("id"))).as("unique id of %s", p.getString("title")).isTrue();
      assertThat(p.getJsonObject("gridPos")).as("gridPos of %s", p.getString("title")).isNotNull();
      if ("row".equals(p.getString("type"))) {
        continue;
      }
      assertThat(p.getJsonObject("datasource").getString("uid"))
          .as("datasource of %s", p.getString("title"))
          .isEqualTo("${datasource}");
      JsonArray targets = p.getJsonArray("targets");
      assertThat(targets).as("targets of %s", p.getString("title")).isNotEmpty();
      for (Object t : targets) {
        String expr = ((JsonObject) t).getString("expr");
        assertThat(expr).as("expr in %s", p.getString("title")).isNotBlank();
        assertThat(balanced(expr)).as("brackets in %s: %s", p.getString("title"), expr).isTrue();
        if (METRIC.matcher(expr).find() && expr.contains("inkan_")) {
          assertThat(expr)
              .as("%s filters on $instance", p.getString("title"))
              .contains("instance=~\"$instance\"");
        }
      }
    }
    assertThat(panels.stream().map(p -> p.getString("title")))
        .anyMatch(t -> t.toLowerCase().contains("throughput"))
        .anyMatch(t -> t.toLowerCase().contains("end-of-message latency"))
        .anyMatch(t -> t.toLowerCase().contains("protocol errors"))
        .anyMatch(t -> t.toLowerCase().contains("cache hit rate"))
        .anyMatch(t -> t.toLowerCase().contains("heap"));
  }

  @Test
  void alertRulesHaveTheUsualShape() throws Exception {
    List<Rule> rules = rules();
    assertThat(rules.stream().map(Rule::name))
        .doesNotHaveDuplicates()
        .contains(
            "InkanDown",
            "InkanNoSignaturesAdded",
            "InkanDnsErrorRate",
            "InkanLdapDown",
            "InkanSqlDown",
            "InkanKeySourceDown",
            "InkanQueryCacheHitRateDrop",
            "InkanMilterProtocolErrors",
            "InkanEndOfMessageLatencyHigh");
    for (Rule r : rules) {
      assertThat(r.fields()).as(r.name()).containsKeys("expr", "for", "severity", "summary");
      assertThat(r.fields().get("severity")).as(r.name()).isIn("warning", "critical");
      assertThat(balanced(r.fields().get("expr"))).as(r.name()).isTrue();
    }
  }

  /** {@code promtool check rules}, when Debian's {@code prometheus} package is installed. */
  @Test
  void promtoolAcceptsTheRules() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    Prerequisites.require(Files.isExecutable(promtool), "promtool (Debian package prometheus)");
    Process p =
        new ProcessBuilder(
                promtool.toString(),
                "check",
                "rules",
                dashboards().resolve("inkan-alerts.yml").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void everyQueriedMetricAndLabelIsInTheMetricsOfARunningInkan() throws Exception {
    List<String> exprs = new ArrayList<>();
    for (JsonObject p : panels(dashboard())) {
      JsonArray targets = p.getJsonArray("targets", new JsonArray());
      targets.forEach(t -> exprs.add(((JsonObject) t).getString("expr")));
    }
    for (Object v : dashboard().getJsonObject("templating").getJsonArray("list")) {
      Object q = ((JsonObject) v).getValue("query");
      if (q instanceof JsonObject o && o.getString("query") != null) {
        exprs.add(o.getString("query"));
      } else if (q instanceof String s && !"prometheus".equals(s)) {
        exprs.add(s);
      }
    }
    rules().forEach(r -> exprs.add(r.fields().get("expr")));

    Map<String, Set<String>> scraped = scrape();

    Set<String> missing = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    for (String expr : exprs) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        used.add(m.group(1));
        if (!scraped.containsKey(m.group(1)) && !LAZY.containsKey(m.group(1))) {
          missing.add(m.group(1));
        }
      }
      Matcher s = SELECTOR.matcher(expr);
      while (s.find()) {
        Set<String> labels = scraped.get(s.group(1));
        if (labels == null) {
          continue;
        }
        Matcher l = MATCHER.matcher(s.group(2));
        while (l.find()) {
          if (!TARGET_LABELS.contains(l.group(1)) && !labels.contains(l.group(1))) {
            missing.add(s.group(1) + "{" + l.group(1) + "}");
          }
        }
      }
    }
    assertThat(missing)
        .as(
            "queried but not in /metrics (Inkan exports %s)",
            scraped.keySet().stream().filter(n -> n.startsWith("inkan_")).toList())
        .isEmpty();
    assertThat(used)
        .contains(
            "inkan_messages_total",
            "inkan_milter_eom_duration_seconds_bucket",
            "inkan_sign_duration_seconds_bucket",
            "inkan_verify_duration_seconds_bucket",
            "inkan_milter_connections_active",
            "inkan_milter_protocol_errors_total",
            "inkan_domain_signatures",
            "inkan_querycache_requests_total",
            "inkan_querycache_rejected_total",
            "inkan_querycache_errors_total",
            "inkan_querycache_entries",
            "inkan_dns_answers_total",
            "inkan_dns_duration_seconds_bucket",
            "inkan_dataset_lookups_total",
            "inkan_dataset_cache_requests_total",
            "inkan_dataset_up");
  }

  /**
   * Metric name to its label names, from a daemon that signed one message and verified it, with an
   * in-process query cache and an SQL (SQLite) data set, so that their meters exist.
   */
  private Map<String, Set<String>> scrape() throws Exception {
    Path key = dir.resolve("sel.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    String p = PrivateKeyReader.read(Files.readString(key)).publicKeyBase64();
    Path keys =
        Files.writeString(dir.resolve("dns"), "sel._domainkey.example.com v=DKIM1; p=" + p + "\n");
    Path noSign = dir.resolve("nosign.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + noSign);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE nosign (rcpt TEXT)");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path socket = dir.resolve("inkan.sock");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "Mode sv\nSocket local:"
                + socket
                + "\nDomain example.com\nSelector sel\nKeyFile "
                + key
                + "\nTestPublicKeys "
                + keys
                + "\nQueryCache yes\nDontSignMailTo dsn:sqlite3://"
                + dir.toString().replace("/", "=2F")
                + "/nosign.db/table=nosign?keycol=rcpt?datacol=rcpt"
                + "\nAdminListen 127.0.0.1:"
                + port
                + "\n");
    try (InkanTestServer server = InkanTestServer.start(conf)) {
      String[] signature;
      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("127.0.0.1");
        signature = mta.message(MESSAGE).get(0).insertedHeader();
      }
      assertThat(signature[0]).isEqualTo("DKIM-Signature");
      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("192.0.2.7");
        mta.message(signature[0] + ": " + signature[1] + "\r\n" + MESSAGE);
      }
      HttpResponse<String> r = AdminHttp.http(port).get("/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("mode=\"verify\"");
      return parse(r.body());
    }
  }

  /** Prometheus text format: each sample's name and the label names it carries. */
  static Map<String, Set<String>> parse(String exposition) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
      Set<String> labels = out.computeIfAbsent(name, n -> new TreeSet<>());
      if (brace >= 0 && brace < space) {
        Matcher l = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(line.substring(brace));
        while (l.find()) {
          labels.add(l.group(1));
        }
      }
    }
    return out;
  }

  private static JsonObject dashboard() throws Exception {
    return new JsonObject(Files.readString(dashboards().resolve("inkan-grafana.json")));
  }

  /** Every panel, rows' collapsed panels included. */
  private static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : dashboard.getJsonArray("panels")) {
      JsonObject p = (JsonObject) o;
      out.add(p);
      for (Object inner : p.getJsonArray("panels", new JsonArray())) {
        out.add((JsonObject) inner);
      }
    }
    return out;
  }

  /** One alerting rule: its name and its scalar fields (expr, for, labels, annotations). */
  record Rule(String name, Map<String, String> fields) {}

  /**
   * The rules of {@code inkan-alerts.yml}, read line by line: the file keeps to {@code groups:},
   * {@code - name:}, {@code rules:}, {@code - alert:} items with {@code key: value} lines and
   * {@code |} blocks, two-space indents, no tabs.
   */
  static List<Rule> rules() throws Exception {
    List<String> lines = Files.readAllLines(dashboards().resolve("inkan-alerts.yml"));
    assertThat(lines).noneMatch(l -> l.contains("\t"));
    assertThat(lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst())
        .hasValue("groups:");
    List<Rule> rules = new ArrayList<>();
    Map<String, String> current = null;
    int groups = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int indent = line.indexOf(t);
      assertThat(indent % 2).as("indent of line %d", i + 1).isZero();
      if (t.startsWith("- name:")) {
        groups++;
        continue;
      }
      if (t.startsWith("- alert:")) {
        current = new LinkedHashMap<>();
        rules.add(new Rule(t.substring("- alert:".length()).strip(), current));
        continue;
      }
      int colon = t.indexOf(':');
      assertThat(colon).as("key: value on line %d: %s", i + 1, line).isPositive();
      String keyName = t.substring(0, colon);
      String value = t.substring(colon + 1).strip();
      if (value.equals("|") || value.equals(">")) {
        StringBuilder block = new StringBuilder();
        while (i + 1 < lines.size()
            && (lines.get(i + 1).isBlank()
                || lines.get(i + 1).indexOf(lines.get(i + 1).strip()) > indent)) {
          block.append(lines.get(++i).strip()).append('\n');
        }
        value = block.toString().strip();
      } else if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
        value = value.substring(1, value.length() - 1);
      }
      if (current != null && !value.isEmpty()) {
        assertThat(current.put(keyName, value)).as("%s twice on line %d", keyName, i + 1).isNull();
      }
    }
    assertThat(groups).isPositive();
    assertThat(rules).isNotEmpty();
    return rules;
  }

  private static boolean balanced(String s) {
    int round = 0;
    int curly = 0;
    int square = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      }
      if (quoted) {
        continue;
      }
      round += c == '(' ? 1 : c == ')' ? -1 : 0;
      curly += c == '{' ? 1 : c == '}' ? -1 : 0;
      square += c == '[' ? 1 : c == ']' ? -1 : 0;
      if (round < 0 || curly < 0 || square < 0) {
        return false;
      }
    }
    return round == 0 && curly == 0 && square == 0 && !quoted;
  }
}
