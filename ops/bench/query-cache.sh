#!/usr/bin/env bash
# Issue 5's query-cache benchmark: Inkan verifying one signed message under the same load
# (`inkan bench`, external client IP) with the key record coming from
#   keys      TestPublicKeys (baseline: no DNS, no cache)
#   dns       Nameservers only (every message asks the private knotd; reference, not a target)
#   memory    Nameservers + QueryCache yes (in-process layer)
#   memcache  Nameservers + QueryCacheBackend memcache:127.0.0.1:PORT, QueryCache no (warm)
#   bdb       Nameservers + QueryCacheBackend bdb:DIR, QueryCache no (warm)
# A private knotd (foreground, its own config/zone/storage/rundir, free loopback port) serves the
# key record; a private memcached serves the shared layer. Prints msg/s, p50/p99 and the ratio to
# `keys` for each, checks the issue's target (memcache and bdb within 10 % of keys) and the cache
# counters (memcached get_hits; knotd queries per run), and writes the summary to
# ops/bench/results/query-cache-<time>.txt. See ops/bench/README.md, "Query cache".
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/ops/bench
INKAN_JAR=${INKAN_JAR:-$ROOT/server/target/inkan.jar}
JAVA=${JAVA:-java}
KNOTD=${KNOTD:-/usr/sbin/knotd}
MEMCACHED=${MEMCACHED:-/usr/bin/memcached}
CONNS=${CONNS:-8}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CONFIGS=${CONFIGS:-keys dns memory memcache bdb}
ROUNDS=${ROUNDS:-1}
CLIENT_IP=${CLIENT_IP:-198.51.100.7}
TARGET_PCT=${TARGET_PCT:-10}
KEEP=${KEEP:-0}
RESULTS=${RESULTS:-$HERE/results}

die() { echo "query-cache: $*" >&2; exit 1; }
[[ -f $INKAN_JAR ]] || die "INKAN_JAR=$INKAN_JAR does not exist (build: mvn -pl server -am package -DskipTests)"
INKAN_JAR=$(realpath "$INKAN_JAR")
for tool in "$KNOTD" "$MEMCACHED" python3; do
  command -v "$tool" > /dev/null || die "$tool missing (Debian: knot memcached python3)"
done
INKAN=${INKAN:-"$JAVA -jar $INKAN_JAR"}
INKAN_BENCH=${INKAN_BENCH:-"$JAVA -cp $INKAN_JAR io.inkan.bench.BenchCommand"}

WORK=$(mktemp -d /tmp/inkan-query-cache.XXXXXX)
KNOT_PID= MC_PID= SERVER_PID= CHILD_PID=
stop_pid() { # TERM, wait up to 10 s, KILL
  kill -TERM "$1" 2> /dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2> /dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2> /dev/null || true
}
cleanup() {
  if [[ -n $CHILD_PID ]]; then kill -TERM "$CHILD_PID" 2> /dev/null || true; fi
  for pid in $SERVER_PID $MC_PID $KNOT_PID; do stop_pid "$pid"; done
  if [[ $KEEP == 1 ]]; then echo "query-cache: work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$WORK"

free_port() { # free for both UDP and TCP on 127.0.0.1
  python3 - << 'EOF'
import socket
for _ in range(50):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
    p = u.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        t.close(); u.close()
EOF
}
field() { sed -n "s|^$1: ||p" "$2"; }
pct() { sed -n "s/^latency_ms: .*$1=\([0-9.]*\).*/\1/p" "$2"; }
port_open() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
mc_stat() { # memcached counter $1
  python3 - "$MC_PORT" "$1" << 'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"stats\r\n"); buf = b""
while not buf.endswith(b"END\r\n"):
    buf += s.recv(65536)
for line in buf.decode().splitlines():
    p = line.split()
    if len(p) == 3 and p[1] == sys.argv[2]:
        print(p[2])
EOF
}
knot_queries() { # queries knotd answered so far (its mod-stats counters; 0 if unavailable)
  knotc -c "$WORK/knot/knot.conf" stats mod-stats 2> /dev/null \
    | awk '/server-operation\[query\]/ { n += $NF } END { print n + 0 }'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== work folder $WORK; $(nproc) CPUs; load: $LOAD_BEFORE"

# --- key, message, signed message, TestPublicKeys file ----------------------------------------
$INKAN genkey -d example.com -s sel -D "$WORK" > genkey.out 2>&1 \
  || { cat genkey.out >&2; die "inkan genkey failed"; }
KEYFILE=$(ls "$WORK"/sel.private 2> /dev/null || true)
RECORD=$(ls "$WORK"/sel.txt 2> /dev/null || true)
[[ -n $KEYFILE && -n $RECORD ]] || { ls -l "$WORK" >&2; cat genkey.out >&2; die "genkey: no sel.private/sel.txt"; }
# the TXT value as one string: join the quoted pieces of sel.txt
P=$(grep -o '"[^"]*"' "$RECORD" | tr -d '"\n \t' | sed 's/^.*p=//')
[[ -n $P ]] || die "no p= in $RECORD"
echo "sel._domainkey.example.com v=DKIM1; k=rsa; p=$P" > keys
{
  printf 'From: Joe Sender <joe@example.com>\nTo: Ann Receiver <ann@example.net>\n'
  printf 'Subject: quarterly numbers and the plan for next week\n'
  printf 'Date: Sat, 28 Nov 2026 10:00:00 +0000\nMessage-ID: <bench-1@example.com>\n'
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n'
  for i in $(seq 1 52); do
    printf 'Line %02d of the sample body, plain prose of a typical length for mail.  \n' "$i"
  done
} > message.eml
$INKAN sign -d example.com -s sel -k "$KEYFILE" -c relaxed/simple < message.eml > signed.eml
grep -q '^DKIM-Signature:' signed.eml || die "inkan sign added no DKIM-Signature"
echo "== signed.eml $(wc -c < signed.eml) bytes, 2048-bit RSA key (inkan genkey)"

# --- knotd: the key record in zone example.com, TTL 3600 ----------------------------------------
KNOT_PORT=$(free_port)
mkdir -p knot/zones knot/db knot/run
txt=$(printf 'v=DKIM1; k=rsa; p=%s' "$P" | fold -w 200 | sed 's/.*/"&"/' | tr '\n' ' ')
cat > knot/zones/example.com.zone << EOF
\$ORIGIN example.com.
\$TTL 3600
@ SOA ns hostmaster 1 3600 600 86400 60
@ NS ns
ns A 127.0.0.1
sel._domainkey TXT $txt
EOF
cat > knot/knot.conf << EOF
server:
    rundir: "$WORK/knot/run"
    listen: 127.0.0.1@$KNOT_PORT
    udp-workers: 2
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$WORK/knot/db"
log:
  - target: stderr
    any: info
mod-stats:
  - id: default
template:
  - id: default
    storage: "$WORK/knot/zones"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    global-module: mod-stats/default
zone:
  - domain: example.com.
EOF
"$KNOTD" -c "$WORK/knot/knot.conf" > knot/knotd.log 2>&1 &
KNOT_PID=$!
for i in $(seq 1 200); do
  kill -0 "$KNOT_PID" 2> /dev/null || { cat knot/knotd.log >&2; die "knotd exited"; }
  if python3 - "$KNOT_PORT" << 'EOF'
import socket, struct, sys
q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
for label in b"sel._domainkey.example.com".split(b"."):
    q += bytes([len(label)]) + label
q += b"\x00" + struct.pack(">HH", 16, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
try:
    s.sendto(q, ("127.0.0.1", int(sys.argv[1]))); r = s.recv(4096)
    sys.exit(0 if (r[3] & 0x0F) == 0 and struct.unpack(">H", r[6:8])[0] >= 1 else 1)
except OSError:
    sys.exit(1)
EOF
  then break; fi
  [[ $i == 200 ]] && { cat knot/knotd.log >&2; die "knotd does not answer for sel._domainkey.example.com"; }
  sleep 0.1
done
echo "== knotd on 127.0.0.1:$KNOT_PORT (pid $KNOT_PID)"
# the signature passes with the key from the file and from knotd
$INKAN verify --test-keys "$WORK/keys" < signed.eml > verify-keys.out 2>&1 \
  || { cat verify-keys.out >&2; die "inkan verify --test-keys: signed.eml does not pass"; }
$INKAN verify --nameserver "127.0.0.1:$KNOT_PORT" < signed.eml > verify-dns.out 2>&1 \
  || { cat verify-dns.out >&2; die "inkan verify --nameserver: signed.eml does not pass"; }
echo "== inkan verify: $(head -1 verify-dns.out)"

# --- memcached and its cluster secret -----------------------------------------------------------
MC_PORT=$(free_port)
mc_user=()
[[ $(id -u) == 0 ]] && mc_user=(-u root)
"$MEMCACHED" -l 127.0.0.1 -p "$MC_PORT" -U 0 -m 64 -t 4 "${mc_user[@]}" > memcached.log 2>&1 &
MC_PID=$!
for i in $(seq 1 100); do
  kill -0 "$MC_PID" 2> /dev/null || { cat memcached.log >&2; die "memcached exited"; }
  port_open "$MC_PORT" && break
  [[ $i == 100 ]] && die "memcached did not open 127.0.0.1:$MC_PORT"
  sleep 0.1
done
(umask 077 && openssl rand -base64 48 > secret)
echo "== memcached on 127.0.0.1:$MC_PORT (pid $MC_PID)"

# --- Inkan configurations -----------------------------------------------------------------------
conf() { # $1 configuration name
  {
    echo "Mode v"
    echo "Socket local:$WORK/inkan.sock"
    echo "Syslog no"
    echo "DNSTimeout 5"
    case $1 in
      keys) echo "TestPublicKeys $WORK/keys" ;;
      dns) echo "Nameservers 127.0.0.1:$KNOT_PORT" ;;
      memory) echo "Nameservers 127.0.0.1:$KNOT_PORT"; echo "QueryCache yes" ;;
      memcache)
        echo "Nameservers 127.0.0.1:$KNOT_PORT"; echo "QueryCache no"
        echo "QueryCacheBackend memcache:127.0.0.1:$MC_PORT"
        echo "QueryCacheSecretFile $WORK/secret" ;;
      bdb)
        echo "Nameservers 127.0.0.1:$KNOT_PORT"; echo "QueryCache no"
        echo "QueryCacheBackend bdb:$WORK/je" ;;
      *) die "unknown configuration $1" ;;
    esac
  } > "$WORK/$1.conf"
}

start_inkan() { # $1 configuration name
  rm -f "$WORK/inkan.sock"
  $INKAN serve -x "$WORK/$1.conf" >> "$WORK/inkan-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    kill -0 "$SERVER_PID" 2> /dev/null || { cat "$WORK/inkan-$1.log" >&2; die "inkan ($1) exited"; }
    [[ -S $WORK/inkan.sock ]] && return 0
    sleep 0.1
  done
  die "inkan ($1) did not open its socket in 30 s"
}

bench() { # $1 output file, $2 seconds
  $INKAN_BENCH --socket "local:$WORK/inkan.sock" --conns "$CONNS" --duration "$2" \
    --message signed.eml --client-ip "$CLIENT_IP" > "$1" 2>&1 &
  CHILD_PID=$!
  wait "$CHILD_PID" || { cat "$1" >&2; die "bench ($1) failed"; }
  CHILD_PID=
}

declare -A R
run() { # $1 configuration name, $2 round: sets R[config-round-*]
  local c=$1 k=$1-$2 h0 h1 m0 m1 q0 q1 out=$WORK/$1-$2.out
  conf "$c"
  [[ $c == bdb ]] && mkdir -p "$WORK/je"
  start_inkan "$c"
  bench "$WORK/$k.warmup" "$WARMUP"
  h0=$(mc_stat get_hits); m0=$(mc_stat get_misses); q0=$(knot_queries)
  bench "$out" "$DURATION"
  h1=$(mc_stat get_hits); m1=$(mc_stat get_misses); q1=$(knot_queries)
  stop_pid "$SERVER_PID"; SERVER_PID=
  local msgs
  msgs=$(field messages "$out")
  R[$k-msgs]=$msgs
  R[$k-rate]=$(field messages/s "$out")
  R[$k-p50]=$(pct p50 "$out")
  R[$k-p99]=$(pct p99 "$out")
  R[$k-ar]=$(sed -n 's/^headers: .*Authentication-Results=\([0-9]*\).*/\1/p' "$out")
  R[$k-mchits]=$(( h1 - h0 ))
  R[$k-mcmiss]=$(( m1 - m0 ))
  R[$k-dnsq]=$(( q1 - q0 ))
  R[$k-load]=$(cut -d' ' -f1 /proc/loadavg)
  # Inkan always logs a failed key retrieval or a bad signature: there must be none
  R[$k-fail]=$(grep -c -i -E 'key retrieval failed|bad signature|signature verification failed|temperror|permerror' \
    "$WORK/inkan-$c.log" || true)
  printf -- '-- %-8s round %s %7s msgs %9s msg/s  p50 %7s ms  p99 %7s ms  A-R %7s  memcached hits %7s misses %5s  knotd queries %7s  load %s\n' \
    "$c" "$2" "$msgs" "${R[$k-rate]}" "${R[$k-p50]}" "${R[$k-p99]}" "${R[$k-ar]:-0}" \
    "${R[$k-mchits]}" "${R[$k-mcmiss]}" "${R[$k-dnsq]}" "${R[$k-load]}"
  [[ ${R[$k-fail]} == 0 ]] || echo "   warning: $c: ${R[$k-fail]} failure lines in inkan-$c.log" >&2
  [[ ${R[$k-ar]:-0} == "$msgs" ]] || echo "   warning: $c: $msgs messages but ${R[$k-ar]:-0} Authentication-Results fields" >&2
}

echo "== runs: $CONNS connections, ${WARMUP}s warm-up then ${DURATION}s, client $CLIENT_IP, Mode v"
# Rounds interleave the configurations, so a change in the machine's load hits all of them.
for (( r = 1; r <= ROUNDS; r++ )); do
  for c in $CONFIGS; do run "$c" "$r"; done
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for c in $CONFIGS; do # the median over rounds of each figure
  for f in rate p50 p99 mchits mcmiss dnsq; do
    vals=()
    for (( r = 1; r <= ROUNDS; r++ )); do vals+=("${R[$c-$r-$f]}"); done
    R[$c-$f]=$(median "${vals[@]}")
  done
done

# --- summary ------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
mkdir -p "$RESULTS"
SUMMARY=$RESULTS/query-cache-$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "== query-cache summary ($(nproc) CPUs shared by client, Inkan, knotd, memcached; load before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "   median of $ROUNDS round(s); $CONNS conns, ${WARMUP}s warm-up + ${DURATION}s, signed.eml $(wc -c < "$WORK/signed.eml") bytes, RSA-2048, verify"
  printf '%-9s %10s %9s %9s %8s %10s %10s %10s\n' config msg/s p50_ms p99_ms ratio mc_hits mc_misses dns_q
  for c in $CONFIGS; do
    printf '%-9s %10s %9s %9s %8s %10s %10s %10s\n' "$c" "${R[$c-rate]}" "${R[$c-p50]}" "${R[$c-p99]}" \
      "$( [[ -n ${R[keys-rate]:-} ]] && ratio "${R[$c-rate]}" "${R[keys-rate]}" || echo -)" \
      "${R[$c-mchits]}" "${R[$c-mcmiss]}" "${R[$c-dnsq]}"
  done
  if [[ -n ${R[keys-rate]:-} ]]; then
    for c in memcache bdb memory; do
      [[ -n ${R[$c-rate]:-} ]] || continue
      verdict=$(awk -v a="${R[$c-rate]}" -v b="${R[keys-rate]}" -v t="$TARGET_PCT" \
        'BEGIN { print (a >= b * (1 - t / 100) ? "MET" : "MISSED") }')
      echo "target: $c within $TARGET_PCT % of keys: $verdict ($(ratio "${R[$c-rate]}" "${R[keys-rate]}"))"
    done
  fi
} | tee "$SUMMARY"
echo "== summary written to $SUMMARY"
