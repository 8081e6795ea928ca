#!/usr/bin/env bash
# Inkan and OpenDKIM signing for N domains whose keys live in LDAP (issue 4, "Scale script").
#
# A private slapd (temporary folder, free loopback port, our schema, mdb) gets N domain entries
# dK.example.com (K = 0..N-1, as `inkan bench --domains N` names them) through slapadd, all
# holding ONE 2048-bit RSA key inline. Inkan and OpenDKIM get the same KeyTable and SigningTable
# ldap:// lines and, in turn, the same load from `inkan bench` over a unix socket:
#   first   exec to the first signed message (ldap-scale/first-signed.py starts the filter)
#   pass 1  N messages (Inkan) or OPENDKIM_DURATION s (OpenDKIM), CONNS connections, From
#           spread uniformly over the N domains: cold caches
#   pass 2  the same again: warm caches
#   lat     LAT_MESSAGES messages on 1 connection with cold caches (Inkan: after SIGUSR1, which
#           drops its LDAP cache), then the same messages warm: the p99 difference is the
#           lookup cost a message sees
# slapd's cn=Monitor counts the searches of each pass. Prints a summary and writes it to
# ops/bench/results/ldap-scale-<time>.txt. See ops/bench/README.md, "LDAP at scale".
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/ops/bench
INKAN_JAR=${INKAN_JAR:-$ROOT/server/target/inkan.jar}
OPENDKIM=${OPENDKIM:-/usr/sbin/opendkim}
JAVA=${JAVA:-java}
SLAPD=${SLAPD:-/usr/sbin/slapd}
SLAPADD=${SLAPADD:-/usr/sbin/slapadd}
N=${N:-100000}
CONNS=${CONNS:-8}
OPENDKIM_DURATION=${OPENDKIM_DURATION:-60}
LAT_MESSAGES=${LAT_MESSAGES:-1000}
FIRST_RUNS=${FIRST_RUNS:-3}
LDAP_INDEX=${LDAP_INDEX:-1}
SERVERS=${SERVERS:-inkan opendkim}
INKAN_CONF_EXTRA=${INKAN_CONF_EXTRA:-}
KEEP=${KEEP:-0}
RESULTS=${RESULTS:-$HERE/results}
SUFFIX=dc=example,dc=com
BASE=ou=dkim,$SUFFIX

die() { echo "ldap-scale: $*" >&2; exit 1; }
[[ -f $INKAN_JAR ]] || die "INKAN_JAR=$INKAN_JAR does not exist (build: mvn -pl server -am package -DskipTests)"
INKAN_JAR=$(realpath "$INKAN_JAR")
for tool in "$SLAPD" "$SLAPADD" ldapsearch openssl python3; do
  command -v "$tool" > /dev/null || die "$tool missing (Debian: slapd ldap-utils openssl python3)"
done
[[ $SERVERS != *opendkim* || -x $OPENDKIM ]] || die "$OPENDKIM missing (apt-get install opendkim)"
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N=$N: expected a positive integer"
INKAN_BENCH=${INKAN_BENCH:-"$JAVA -cp $INKAN_JAR io.inkan.bench.BenchCommand"}
TICKS=$(getconf CLK_TCK)

WORK=$(mktemp -d /tmp/inkan-ldap-scale.XXXXXX)
SLAPD_PID= SERVER_PID= STARTING= CHILD_PID=
cleanup() {
  if [[ -n $CHILD_PID ]]; then kill -TERM "$CHILD_PID" 2> /dev/null || true; fi
  # a filter being started by first-signed.py: its pid is the first line of $STARTING
  if [[ -z $SERVER_PID && -n $STARTING && -f $WORK/$STARTING ]]; then
    SERVER_PID=$(sed -n 's/^pid: //p' "$WORK/$STARTING")
  fi
  for pid in $SERVER_PID $SLAPD_PID; do
    kill -TERM "$pid" 2> /dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2> /dev/null || true
  done
  if [[ $KEEP == 1 ]]; then echo "ldap-scale: work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$WORK"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
cpu_s() { # utime + stime of PID $1 in seconds; field 2 (comm) may hold spaces
  local s
  s=$(< "/proc/$1/stat")
  s=${s##*) }
  read -r -a f <<< "$s"
  awk -v t=$(( f[11] + f[12] )) -v hz="$TICKS" 'BEGIN { printf "%.1f", t / hz }'
}
field() { sed -n "s|^$1: ||p" "$2"; } # KEY FILE: value of a `key: value` line
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
pct() { sed -n "s/^latency_ms: .*$1=\([0-9.]*\).*/\1/p" "$2"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== work folder $WORK; N=$N domains; load: $LOAD_BEFORE"

# --- one key, one message -------------------------------------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem 2> /dev/null
KEY_B64=$(openssl pkey -in key.pem -outform DER | base64 -w0) # PKCS#8 DER, as OpenDKIM reads it
{
  printf 'From: Joe Sender <joe@example.com>\nTo: Ann Receiver <ann@example.net>\n'
  printf 'Subject: quarterly numbers and the plan for next week\n'
  printf 'Date: Sat, 28 Nov 2026 10:00:00 +0000\nMessage-ID: <bench-1@example.com>\n'
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n'
  for i in $(seq 1 52); do
    printf 'Line %02d of the sample body, plain prose of a typical length for mail.  \n' "$i"
  done
} > message.eml

# --- slapd: cn=config, then N entries with slapadd (offline, far faster than ldapadd) ----------
SLAPD_PORT=$(free_port)
mkdir -p slapd.d data
{
  printf 'dn: cn=config\nobjectClass: olcGlobal\ncn: config\nolcPidFile: %s/slapd.pid\n\n' "$WORK"
  printf 'dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n'
  printf 'olcModulePath: /usr/lib/ldap\nolcModuleLoad: back_mdb\n\n'
  printf 'dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n'
  for s in /etc/ldap/schema/core.ldif /etc/ldap/schema/cosine.ldif \
    "$ROOT/ldap-schema/dkim.ldif" "$ROOT/ldap-schema/inkan.ldif"; do
    printf 'include: file://%s\n\n' "$s"
  done
  printf 'dn: olcDatabase={-1}frontend,cn=config\nobjectClass: olcDatabaseConfig\n'
  printf 'objectClass: olcFrontendConfig\nolcDatabase: {-1}frontend\n\n'
  printf 'dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\n'
  printf 'olcDatabase: {0}config\nolcRootDN: cn=nobody\n\n'
  printf 'dn: olcDatabase={1}monitor,cn=config\nobjectClass: olcDatabaseConfig\n'
  printf 'olcDatabase: {1}monitor\nolcAccess: {0}to * by * read\n\n'
  printf 'dn: olcDatabase={2}mdb,cn=config\nobjectClass: olcDatabaseConfig\n'
  printf 'objectClass: olcMdbConfig\nolcDatabase: {2}mdb\nolcSuffix: %s\n' "$SUFFIX"
  printf 'olcRootDN: cn=admin,%s\nolcRootPW: ldap-scale\nolcDbDirectory: %s/data\n' "$SUFFIX" "$WORK"
  printf 'olcDbMaxSize: %d\nolcDbNoSync: TRUE\n' $(( (N * 4096 / 1048576 + 256) * 1048576 ))
  printf 'olcDbIndex: objectClass eq\n'
  if [[ $LDAP_INDEX == 1 ]]; then printf 'olcDbIndex: DKIMDomain eq\n'; fi
  printf 'olcAccess: {0}to * by * read\n'
} > config.ldif
"$SLAPADD" -n0 -F slapd.d -l config.ldif > slapadd-config.log 2>&1 \
  || { cat slapadd-config.log >&2; die "slapadd -n0 failed"; }

t=$(now)
awk -v n="$N" -v base="$BASE" -v suffix="$SUFFIX" -v key="$KEY_B64" 'BEGIN {
  printf "dn: %s\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\n", suffix
  printf "dc: example\no: example\n\n"
  printf "dn: %s\nobjectClass: top\nobjectClass: organizationalUnit\nou: dkim\n\n", base
  for (k = 0; k < n; k++) {
    d = "d" k ".example.com"
    printf "dn: DKIMDomain=%s,%s\nobjectClass: top\nobjectClass: inkanDkimKey\n", d, base
    printf "objectClass: DKIM\nDKIMDomain: %s\nDKIMSelector: sel\nDKIMKey: %s\n\n", d, key
  }
}' > entries.ldif
"$SLAPADD" -q -n2 -F slapd.d -l entries.ldif > slapadd-entries.log 2>&1 \
  || { tail -20 slapadd-entries.log >&2; die "slapadd of $N entries failed"; }
LOAD_S=$(since "$t")
echo "== slapadd: $N entries ($(du -sh data | cut -f1) mdb) in ${LOAD_S}s"
rm -f entries.ldif

"$SLAPD" -d 0 -h "ldap://127.0.0.1:$SLAPD_PORT/" -F slapd.d > slapd.log 2>&1 &
SLAPD_PID=$!
for _ in $(seq 1 300); do
  kill -0 "$SLAPD_PID" 2> /dev/null || { cat slapd.log >&2; die "slapd exited"; }
  (exec 3<> "/dev/tcp/127.0.0.1/$SLAPD_PORT") 2> /dev/null && break
  sleep 0.1
done
LDAP=ldap://127.0.0.1:$SLAPD_PORT
searches() { # searches slapd completed so far, not counting this one
  ldapsearch -x -LLL -o ldif-wrap=no -H "$LDAP" -b cn=Search,cn=Operations,cn=Monitor -s base \
    monitorOpCompleted | sed -n 's/^monitorOpCompleted: //p'
}
one=$(ldapsearch -x -LLL -H "$LDAP" -b "$BASE" "(DKIMDomain=d$(( N - 1 )).example.com)" DKIMSelector \
  | sed -n 's/^DKIMSelector: //p')
[[ $one == sel ]] || die "slapd does not answer for d$(( N - 1 )).example.com"
echo "== slapd on $LDAP (pid $SLAPD_PID)"

# --- the same tables for both ------------------------------------------------------------------
KEYTABLE="$LDAP/$BASE?DKIMDomain,DKIMSelector,DKIMKey?sub?(DKIMDomain=\$d)"
SIGNINGTABLE="$LDAP/$BASE?DKIMDomain?sub?(DKIMDomain=\$d)"
conf() { # $1 server
  {
    echo "Mode s"
    echo "Socket local:$WORK/$1.sock"
    echo "KeyTable $KEYTABLE"
    echo "SigningTable $SIGNINGTABLE"
    echo "Canonicalization relaxed/simple"
    echo "Syslog no"
    if [[ $1 == opendkim ]]; then echo "RequireSafeKeys no"; fi
    if [[ $1 == inkan && -n $INKAN_CONF_EXTRA ]]; then printf '%b\n' "$INKAN_CONF_EXTRA"; fi
  } > "$WORK/$1.conf"
}

stop_server() {
  kill -TERM "$SERVER_PID" 2> /dev/null || true
  for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2> /dev/null || true
  SERVER_PID=
  rm -f "$WORK"/*.sock
}

# bench NAME SERVER ARGS...: one bench run, its searches and the CPU it cost
declare -A R
bench() {
  local name=$1 server=$2 s0 s1 c0 c1 l0 l1
  shift 2
  s0=$(searches); c0=$(cpu_s "$SERVER_PID"); l0=$(cpu_s "$SLAPD_PID")
  # in the background, so that a signal reaches the trap at once
  $INKAN_BENCH --socket "local:$WORK/$server.sock" --message message.eml --domains "$N" "$@" \
    > "$server-$name.out" 2>&1 &
  CHILD_PID=$!
  wait "$CHILD_PID" || { cat "$server-$name.out" >&2; die "bench $name against $server failed"; }
  CHILD_PID=
  s1=$(searches); c1=$(cpu_s "$SERVER_PID"); l1=$(cpu_s "$SLAPD_PID")
  local f=$server-$name.out msgs signed
  msgs=$(field messages "$f")
  signed=$(sed -n 's/^headers: .*DKIM-Signature=\([0-9]*\).*/\1/p' "$f")
  R[$server-$name-msgs]=$msgs
  R[$server-$name-rate]=$(field messages/s "$f")
  R[$server-$name-p50]=$(pct p50 "$f")
  R[$server-$name-p99]=$(pct p99 "$f")
  R[$server-$name-signed]=${signed:-0}
  R[$server-$name-searches]=$(( s1 - s0 - 1 ))
  R[$server-$name-cpu]=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.1f", b - a }')
  R[$server-$name-ldapcpu]=$(awk -v a="$l0" -v b="$l1" 'BEGIN { printf "%.1f", b - a }')
  printf -- '-- %-9s %-8s %7s msgs %9s msg/s  p50 %8s ms  p99 %8s ms  signed %7s  searches %7s  cpu %s s (slapd %s s)  load %s\n' \
    "$server" "$name" "$msgs" "${R[$server-$name-rate]}" "${R[$server-$name-p50]}" \
    "${R[$server-$name-p99]}" "${R[$server-$name-signed]}" "${R[$server-$name-searches]}" \
    "${R[$server-$name-cpu]}" "${R[$server-$name-ldapcpu]}" "$(cut -d' ' -f1 /proc/loadavg)"
}

run_server() { # $1 inkan | opendkim
  local server=$1 cmd amount
  conf "$server"
  case $server in
    inkan) cmd=($JAVA -jar "$INKAN_JAR" serve -x "$WORK/inkan.conf") ;;
    opendkim) cmd=("$OPENDKIM" -f -x "$WORK/opendkim.conf") ;;
  esac
  echo "== $server"
  local i socket_ms=() signed_ms=()
  for (( i = 1; i <= FIRST_RUNS; i++ )); do
    [[ -n $SERVER_PID ]] && stop_server
    STARTING=$server-first.out
    python3 "$HERE/ldap-scale/first-signed.py" --socket "$WORK/$server.sock" \
      --message message.eml --from "joe@d0.example.com" --log "$WORK/$server.log" \
      -- "${cmd[@]}" > "$server-first.out" &
    CHILD_PID=$!
    wait "$CHILD_PID" || true
    CHILD_PID=
    SERVER_PID=$(field pid "$server-first.out")
    STARTING=
    [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2> /dev/null \
      || { cat "$server-first.out" "$server.log" >&2; die "$server did not start"; }
    [[ -n $(field signed_ms "$server-first.out") ]] \
      || { cat "$server-first.out" "$server.log" >&2; die "$server signed nothing"; }
    socket_ms+=("$(field socket_ms "$server-first.out")")
    signed_ms+=("$(field signed_ms "$server-first.out")")
    echo "-- $server   start $i: socket accepts after ${socket_ms[-1]} ms, first signature after ${signed_ms[-1]} ms (from exec; load $(cut -d' ' -f1 /proc/loadavg))"
  done
  R[$server-socket_ms]=$(median "${socket_ms[@]}")
  R[$server-signed_ms]=$(median "${signed_ms[@]}")
  R[$server-after_ms]=$(for i in "${!socket_ms[@]}"; do
    awk -v a="${signed_ms[i]}" -v b="${socket_ms[i]}" 'BEGIN { printf "%.1f\n", a - b }'; done \
    | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  R[$server-signed_all]=$(IFS=' '; echo "${signed_ms[*]}")

  if [[ $server == inkan ]]; then
    amount=(--messages $(( (N + CONNS - 1) / CONNS )))
  else
    amount=(--duration "$OPENDKIM_DURATION")
  fi
  bench pass1 "$server" --conns "$CONNS" "${amount[@]}"
  bench pass2 "$server" --conns "$CONNS" "${amount[@]}"
  if [[ $server == inkan ]]; then # drop Inkan's cache: SIGUSR1 reloads and empties it
    local before
    before=$(grep -c 'reloaded (SIGUSR1)' inkan.log || true)
    kill -USR1 "$SERVER_PID"
    for _ in $(seq 1 300); do
      (( $(grep -c 'reloaded (SIGUSR1)' inkan.log || true) > before )) && break
      sleep 0.1
    done
  fi
  bench latcold "$server" --conns 1 --messages "$LAT_MESSAGES"
  bench latwarm "$server" --conns 1 --messages "$LAT_MESSAGES"
  stop_server
}

for server in $SERVERS; do run_server "$server"; done

# --- summary -----------------------------------------------------------------------------------
get() { echo "${R[$1]:--}"; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf f, a / b }'; }
sub_() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.2f", a - b }'; }
# Inkan's lookups per message: pass 1 meets every domain once, so every lookup is a search
L=$(div "$(get inkan-pass1-searches)" "$(get inkan-pass1-msgs)")
HIT=$(awk -v s="$(get inkan-pass2-searches)" -v m="$(get inkan-pass2-msgs)" -v l="$L" \
  'BEGIN { if (l == "-" || m == "-" || l == 0 || m == 0) print "-"; else printf "%.2f %%", 100 * (1 - s / (l * m)) }')
{
  echo "# ldap-scale $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "N=$N domains in slapd (slapadd ${LOAD_S}s, DKIMDomain index $([[ $LDAP_INDEX == 1 ]] && echo yes || echo NO)), $CONNS conns, $(nproc) CPUs, load before: $LOAD_BEFORE"
  echo "Inkan: $(basename "$INKAN_JAR") $([[ -n $INKAN_CONF_EXTRA ]] && printf '%b' "$INKAN_CONF_EXTRA" | tr '\n' ' ')"
  echo "OpenDKIM: $("$OPENDKIM" -V 2>&1 | head -1 | sed 's/.*Filter //'); its passes ${OPENDKIM_DURATION}s each"
  echo "KeyTable     $KEYTABLE"
  echo "SigningTable $SIGNINGTABLE"
  echo
  printf '%-44s %14s %14s %8s\n' "" Inkan OpenDKIM ratio
  printf '%-44s %14s %14s\n' "first signature, ms from exec (median)" "$(get inkan-signed_ms)" "$(get opendkim-signed_ms)"
  printf '%-44s %14s %14s\n' "socket accepts, ms from exec (median)" "$(get inkan-socket_ms)" "$(get opendkim-socket_ms)"
  printf '%-44s %14s %14s\n' "first signature, ms after socket (median)" "$(get inkan-after_ms)" "$(get opendkim-after_ms)"
  for p in pass1 pass2; do
    printf '%-44s %14s %14s %7sx\n' "$p msg/s ($CONNS conns, over $N domains)" "$(get inkan-$p-rate)" \
      "$(get opendkim-$p-rate)" "$(div "$(get inkan-$p-rate)" "$(get opendkim-$p-rate)" %.1f)"
    printf '%-44s %14s %14s\n' "$p messages (signed)" "$(get inkan-$p-msgs) ($(get inkan-$p-signed))" \
      "$(get opendkim-$p-msgs) ($(get opendkim-$p-signed))"
    printf '%-44s %14s %14s\n' "$p p50 / p99 ms" "$(get inkan-$p-p50) / $(get inkan-$p-p99)" \
      "$(get opendkim-$p-p50) / $(get opendkim-$p-p99)"
    printf '%-44s %14s %14s\n' "$p LDAP searches per message" \
      "$(div "$(get inkan-$p-searches)" "$(get inkan-$p-msgs)" %.3f)" \
      "$(div "$(get opendkim-$p-searches)" "$(get opendkim-$p-msgs)" %.3f)"
    printf '%-44s %14s %14s\n' "$p CPU s: filter / slapd" \
      "$(get inkan-$p-cpu) / $(get inkan-$p-ldapcpu)" "$(get opendkim-$p-cpu) / $(get opendkim-$p-ldapcpu)"
  done
  printf '%-44s %14s\n' "pass2 cache hit rate (1 - searches/(L*msgs))" "$HIT"
  for p in latcold latwarm; do
    printf '%-44s %14s %14s\n' "$p p50 / p99 ms (1 conn, $LAT_MESSAGES msgs)" \
      "$(get inkan-$p-p50) / $(get inkan-$p-p99)" "$(get opendkim-$p-p50) / $(get opendkim-$p-p99)"
    printf '%-44s %14s %14s\n' "$p LDAP searches per message" \
      "$(div "$(get inkan-$p-searches)" "$(get inkan-$p-msgs)" %.3f)" \
      "$(div "$(get opendkim-$p-searches)" "$(get opendkim-$p-msgs)" %.3f)"
  done
  printf '%-44s %14s %14s\n' "lookup cost p50 / p99 ms (latcold - latwarm)" \
    "$(sub_ "$(get inkan-latcold-p50)" "$(get inkan-latwarm-p50)") / $(sub_ "$(get inkan-latcold-p99)" "$(get inkan-latwarm-p99)")" \
    "(no cache)"
  echo
  echo "First signature over $FIRST_RUNS starts, ms from exec: Inkan $(get inkan-signed_all); OpenDKIM $(get opendkim-signed_all)."
  echo "L = Inkan's searches per message in pass 1 ($L; every lookup is new there). Lookup cost: a"
  echo "message's latency with Inkan's cache emptied (SIGUSR1) minus with it full, 1 connection, the"
  echo "same $LAT_MESSAGES senders; the difference is the LDAP searches one message waits for."
  echo "OpenDKIM has no LDAP cache (searches per message stay at 3): its lat rows are all lookups."
  echo "Load at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} > summary.txt
echo
cat summary.txt
mkdir -p "$RESULTS"
OUT=$RESULTS/ldap-scale-$(date -u +%Y%m%dT%H%M%SZ).txt
{
  cat summary.txt
  echo
  echo "## bench outputs"
  for f in "$WORK"/*-pass1.out "$WORK"/*-pass2.out "$WORK"/*-lat*.out "$WORK"/*-first.out; do
    [[ -f $f ]] && { echo "### $(basename "$f")"; grep -v '^target:' "$f"; }
  done
} > "$OUT"
echo "== written to $OUT"
