// Inkan's live dashboard: polls /api/stats every 2 s and /api/status every 30 s, and draws
// with plain SVG. Every value from the server goes into the page as text, never as markup.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const COLORS = {
  signed: "#2e7d32", resigned: "#66bb6a", pass: "#1565c0", none: "#9e9e9e",
  neutral: "#78909c", fail: "#c62828", permerror: "#8e24aa", temperror: "#ef6c00",
  keynotfound: "#f9a825", internalerror: "#6d4c41", signatureerror: "#ad1457",
  peer: "#00897b", nofrom: "#bdbdbd", security: "#d84315"
};
const EXTRA = ["#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"];
const W = 800, H = 220, PAD_L = 48, PAD_R = 8, PAD_T = 8, PAD_B = 22;

function color(name) {
  if (COLORS[name]) return COLORS[name];
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return EXTRA[h % EXTRA.length];
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}

function fmtInt(n) {
  return n === null || n === undefined ? "–" : Math.round(n).toLocaleString("en-US");
}

function fmtMs(v) {
  if (v === null || v === undefined) return "–";
  return v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toString();
}

function fmtDuration(s) {
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d ? d + "d " : "") + (d || h ? h + "h " : "") + m + "m " + Math.floor(s % 60) + "s";
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function setText(id, text) {
  document.getElementById(id).textContent = text;
}

/** Draws lines (or stacked areas) of {name, values: [[t, v]...]} into an SVG. */
function drawChart(svg, series, stacked, t0, t1) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const n = series.length ? series[0].values.length : 0;
  const tops = new Array(n).fill(0);
  let max = 0;
  for (const s of series) {
    s.values.forEach((p, i) => {
      const v = p[1] || 0;
      if (stacked) { tops[i] += v; max = Math.max(max, tops[i]); } else max = Math.max(max, v);
    });
  }
  max = niceMax(max);
  const x = t => PAD_L + (W - PAD_L - PAD_R) * (t1 > t0 ? (t - t0) / (t1 - t0) : 1);
  const y = v => H - PAD_B - (H - PAD_T - PAD_B) * (v / max);
  for (let i = 0; i <= 4; i++) {
    const v = max * i / 4;
    svg.appendChild(svgEl("line", { x1: PAD_L, x2: W - PAD_R, y1: y(v), y2: y(v), class: "grid" }));
    const label = svgEl("text", { x: PAD_L - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" });
    label.textContent = v >= 100 ? Math.round(v) : +v.toFixed(2);
    svg.appendChild(label);
  }
  for (let m = 0; m <= 5; m++) {
    const t = t1 - m * 60000;
    if (t < t0) break;
    const label = svgEl("text", { x: x(t), y: H - 6, "text-anchor": "middle", class: "axis" });
    label.textContent = m === 0 ? "now" : "-" + m + "m";
    svg.appendChild(label);
  }
  const base = new Array(n).fill(0);
  for (const s of series) {
    const pts = s.values.map((p, i) => [x(p[0]), y(base[i] + (p[1] || 0))]);
    if (pts.length === 0) continue;
    if (stacked) {
      const lower = s.values.map((p, i) => [x(p[0]), y(base[i])]).reverse();
      const d = "M" + pts.concat(lower).map(p => p[0].toFixed(1) + "," + p[1].toFixed(1)).join("L") + "Z";
      svg.appendChild(svgEl("path", { d: d, fill: color(s.name), "fill-opacity": 0.75, stroke: "none" }));
      s.values.forEach((p, i) => { base[i] += p[1] || 0; });
    } else {
      const d = "M" + pts.filter((p, i) => s.values[i][1] !== null)
        .map(p => p[0].toFixed(1) + "," + p[1].toFixed(1)).join("L");
      if (d.length > 1) {
        svg.appendChild(svgEl("path", { d: d, fill: "none", stroke: s.color || color(s.name), "stroke-width": 2 }));
      }
    }
  }
}

function legend(id, names, colorOf) {
  const box = document.getElementById(id);
  box.replaceChildren();
  for (const name of names) {
    const item = el("span");
    const swatch = el("i");
    swatch.style.background = colorOf(name);
    item.append(swatch, document.createTextNode(name));
    box.appendChild(item);
  }
}

function rows(id, data, empty) {
  const table = document.getElementById(id);
  table.replaceChildren();
  if (data.length === 0) {
    const tr = el("tr");
    tr.appendChild(el("td", empty, "empty"));
    table.appendChild(tr);
  }
  for (const cells of data) {
    const tr = el("tr");
    for (const c of cells) tr.appendChild(c);
    table.appendChild(tr);
  }
}

function bar(fraction, colour) {
  const td = el("td", null, "bar");
  const b = el("div");
  b.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1) + "%";
  if (colour) b.style.background = colour;
  td.appendChild(b);
  return td;
}

function render(s) {
  const msgs = s.messages || { total: 0, byResult: {} };
  setText("total-messages", fmtInt(msgs.total));
  const series = s.series || [];
  const last = series.length ? series[series.length - 1] : null;
  setText("rate", last ? last.rate.toFixed(1) : "–");
  setText("eom-p99", s.latency && s.latency.eom.p99 !== null ? fmtMs(s.latency.eom.p99) + " ms" : "–");
  setText("connections", fmtInt(s.connections.active));
  setText("protocol-errors", fmtInt(s.connections.protocolErrors));
  setText("version", "v" + s.version);
  setText("uptime", "up " + fmtDuration(s.uptimeSeconds));
  setText("updated", "updated " + new Date(s.now).toLocaleTimeString());
  const ready = document.getElementById("ready");
  ready.textContent = s.health.ready ? "ready" : "not ready";
  ready.className = "badge " + (s.health.ready ? "up" : "down");

  const t1 = s.now, t0 = t1 - 5 * 60000;
  const results = Object.keys(msgs.byResult).sort((a, b) => msgs.byResult[b] - msgs.byResult[a]);
  drawChart(document.getElementById("throughput-chart"),
    results.map(r => ({ name: r, values: series.map(p => [p.t, p.rates[r] || 0]) })), true, t0, t1);
  legend("throughput-legend", results, color);
  const lat = [["p50", "#4e79a7"], ["p90", "#f28e2b"], ["p99", "#c62828"]];
  drawChart(document.getElementById("latency-chart"),
    lat.map(q => ({ name: q[0], color: q[1], values: series.map(p => [p.t, p[q[0]]]) })), false, t0, t1);
  legend("latency-legend", lat.map(q => q[0]), n => lat.find(q => q[0] === n)[1]);

  const total = msgs.total || 0;
  rows("outcomes", results.map(r => [el("td", r), el("td", fmtInt(msgs.byResult[r]), "num"),
    el("td", total ? (100 * msgs.byResult[r] / total).toFixed(1) + "%" : "", "num"),
    bar(total ? msgs.byResult[r] / total : 0, color(r))]), "no messages yet");

  const latency = s.latency || {};
  rows("latency-table", ["eom", "sign", "verify"].filter(k => latency[k]).map(k => [
    el("td", { eom: "end of message", sign: "signing", verify: "verification" }[k]),
    el("td", "p50 " + fmtMs(latency[k].p50), "num"), el("td", "p90 " + fmtMs(latency[k].p90), "num"),
    el("td", "p99 " + fmtMs(latency[k].p99), "num"), el("td", fmtInt(latency[k].count) + " msgs", "num")]),
    "no data yet");

  const health = document.getElementById("health");
  health.replaceChildren();
  for (const c of s.health.checks) {
    health.appendChild(el("li", c.name + ": " + c.detail, c.up ? "up" : "down"));
  }
  if (s.health.checks.length === 0) health.appendChild(el("li", "no probe has answered yet", "empty"));

  rows("caches", (s.caches || []).map(c => [el("td", c.name),
    el("td", c.hitRate === null ? "–" : (100 * c.hitRate).toFixed(1) + "%", "num"),
    el("td", c.hitRateLastMinute === null ? "" : "last min " + (100 * c.hitRateLastMinute).toFixed(1) + "%", "num"),
    bar(c.hitRate || 0, "#59a14f")]), "no cache reports meters");

  for (const mode of ["sign", "verify"]) {
    const top = s.topDomains[mode] || [];
    const all = s.topDomains[mode + "Total"] || 0;
    rows("top-" + mode, top.map(d => [el("td", d.domain), el("td", fmtInt(d.count), "num"),
      bar(all ? d.count / all : 0, mode === "sign" ? "#2e7d32" : "#1565c0")]), "none yet");
  }
}

function renderStatus(st) {
  const dl = document.getElementById("config");
  dl.replaceChildren();
  const c = st.config;
  const items = [
    ["mode", c.mode], ["socket", c.socket], ["crypto", st.crypto], ["java", st.java],
    ["started", st.startedAt], ["canonicalization", c.canonicalization],
    ["algorithm", c.signatureAlgorithm], ["authserv-id", c.authservId],
    ["admin", st.admin.listen + (st.admin.tls ? " (TLS)" : "") + (st.admin.token ? " (token)" : "")]
  ];
  for (const d of c.dataSets) items.push([d.key, d.type + ": " + d.spec]);
  for (const [k, v] of items) {
    dl.append(el("dt", k), el("dd", v === null || v === undefined ? "–" : v));
  }
}

async function getJson(path) {
  const r = await fetch(path, { credentials: "same-origin", cache: "no-store" });
  if (r.status === 401) {
    window.location.href = "/";
    throw new Error("unauthorized");
  }
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

async function pollStats() {
  try {
    render(await getJson("/api/stats"));
  } catch (e) {
    setText("updated", "no answer: " + e.message);
  }
  setTimeout(pollStats, 2000);
}

async function pollStatus() {
  try {
    renderStatus(await getJson("/api/status"));
  } catch (e) {
    // the stats poll reports the failure
  }
  setTimeout(pollStatus, 30000);
}

pollStats();
pollStatus();
