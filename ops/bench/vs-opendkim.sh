#!/usr/bin/env bash
# Inkan against OpenDKIM on this machine: the same 2048-bit key, message and load client
# (`inkan bench`), each server started in turn. Prints messages/s, the ratio, CPU seconds per
# message of each server process (utime+stime from /proc/PID/stat), and single-connection latency
# over inet. See ops/bench/README.md, "Inkan against OpenDKIM".
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INKAN_JAR=${INKAN_JAR:-$ROOT/server/target/inkan.jar}
OPENDKIM=${OPENDKIM:-/usr/sbin/opendkim}
JAVA=${JAVA:-java}
CONNS=${CONNS:-8}
DURATION=${DURATION:-20}
LATENCY_DURATION=${LATENCY_DURATION:-10}
WARMUP=${WARMUP:-5}
PORT=${PORT:-18891}
WORK=${WORK:-$(mktemp -d /tmp/inkan-vs-opendkim.XXXXXX)}

if [[ ! -f $INKAN_JAR ]]; then
  if [[ $INKAN_JAR != "$ROOT/server/target/inkan.jar" ]]; then
    echo "vs-opendkim: INKAN_JAR=$INKAN_JAR does not exist" >&2
    exit 2
  fi
  echo "== building $INKAN_JAR"
  (cd "$ROOT" && mvn -q -B -pl server -am package -Dmaven.test.skip=true)
fi
[[ -x $OPENDKIM ]] || { echo "vs-opendkim: $OPENDKIM missing (apt-get install opendkim)" >&2; exit 2; }
# Works before and after `bench` is registered in InkanMain.
INKAN_BENCH=${INKAN_BENCH:-"$JAVA -cp $INKAN_JAR io.inkan.bench.BenchCommand"}
TICKS=$(getconf CLK_TCK)

echo "== work folder $WORK"
cd "$WORK"

# --- key, public key file, sample message (~4 KB), the same message signed by Inkan ---------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sel.private 2>/dev/null
chmod 600 sel.private
pub=$(openssl pkey -in sel.private -pubout -outform DER 2>/dev/null | base64 -w0)
echo "sel._domainkey.example.com v=DKIM1; k=rsa; p=$pub" > keys

{
  printf 'From: Joe Sender <joe@example.com>\nTo: Ann Receiver <ann@example.net>\n'
  printf 'Subject: quarterly numbers and the plan for next week\n'
  printf 'Date: Sat, 28 Nov 2026 10:00:00 +0000\nMessage-ID: <bench-1@example.com>\n'
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n'
  for i in $(seq 1 52); do
    printf 'Line %02d of the sample body, plain prose of a typical length for mail.  \n' "$i"
  done
} > message.eml
$JAVA -jar "$INKAN_JAR" sign -d example.com -s sel -k sel.private -c relaxed/simple \
  < message.eml > signed.eml
echo "== message.eml $(wc -c < message.eml) bytes, signed.eml $(wc -c < signed.eml) bytes"

# --- configurations: $1 server (opendkim|inkan), $2 Mode, $3 Socket ----------------------------
conf() {
  local file=$WORK/$1-$2-${3%%:*}.conf
  {
    echo "Mode $2"
    echo "Socket $3"
    echo "Domain example.com"
    echo "Selector sel"
    echo "KeyFile $WORK/sel.private"
    echo "Canonicalization relaxed/simple"
    echo "Syslog no"
    echo "TestPublicKeys $WORK/keys"
    [[ $1 == opendkim ]] && echo "RequireSafeKeys no"
  } > "$file"
  echo "$file"
}

SERVER_PID=
start_server() { # $1 server, $2 conf, $3 socket spec
  local log=$WORK/$1.log
  case $1 in
    opendkim) "$OPENDKIM" -f -x "$2" >> "$log" 2>&1 & ;;
    inkan) $JAVA -jar "$INKAN_JAR" serve -x "$2" >> "$log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "vs-opendkim: $1 exited; its log:" >&2; cat "$log" >&2; exit 1
    fi
    case $3 in
      local:*) [[ -S ${3#local:} ]] && return 0 ;;
      inet:*) (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && return 0 ;;
    esac
    sleep 0.1
  done
  echo "vs-opendkim: $1 did not open $3 in 30 s" >&2; exit 1
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 70); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  rm -f "$WORK"/*.sock
}
trap '[[ -n $SERVER_PID ]] && stop_server' EXIT

cpu_ticks() { # utime + stime of PID $1; field 2 (comm) may hold spaces, so cut after ')'
  local s
  s=$(< "/proc/$1/stat")
  s=${s##*) }
  read -r -a f <<< "$s"
  echo $(( f[11] + f[12] ))
}

# run NAME SERVER MODE SOCKET CONNS SECONDS MESSAGE CLIENT-IP: prints the bench output, sets R_*
run() {
  local name=$1 server=$2 mode=$3 socket=$4 conns=$5 seconds=$6 msg=$7 ip=$8 file out
  file=$(conf "$server" "$mode" "$socket")
  start_server "$server" "$file" "$socket"
  $INKAN_BENCH --socket "$socket" --conns "$conns" --duration "$WARMUP" --message "$msg" \
    --client-ip "$ip" > "$WORK/$name-$server.warmup" \
    || { echo "vs-opendkim: warm-up against $server failed" >&2; cat "$WORK/$name-$server.warmup" >&2; exit 1; }
  local before after
  before=$(cpu_ticks "$SERVER_PID")
  out=$($INKAN_BENCH --socket "$socket" --conns "$conns" --duration "$seconds" --message "$msg" \
    --client-ip "$ip") || { echo "$out" >&2; echo "vs-opendkim: bench against $server failed" >&2; exit 1; }
  after=$(cpu_ticks "$SERVER_PID")
  stop_server
  echo "$out" > "$WORK/$name-$server.out"
  echo "-- $name / $server ($mode, $socket, $conns conns, ${seconds}s, client $ip)"
  echo "$out" | sed 's/^/   /'
  R_RATE=$(echo "$out" | sed -n 's/^messages\/s: //p')
  R_MSGS=$(echo "$out" | sed -n 's/^messages: //p')
  R_P50=$(echo "$out" | sed -n 's/^latency_ms: p50=\([0-9.]*\).*/\1/p')
  R_P99=$(echo "$out" | sed -n 's/^latency_ms: .*p99=\([0-9.]*\).*/\1/p')
  R_CPU=$(awk -v t=$(( after - before )) -v hz="$TICKS" 'BEGIN { printf "%.2f", t / hz }')
  R_CPUMSG=$(awk -v t=$(( after - before )) -v hz="$TICKS" -v n="$R_MSGS" \
    'BEGIN { printf "%.1f", (n > 0 ? t / hz / n * 1e6 : 0) }')
  R_CLIENT=$(echo "$out" | sed -n 's/^client_cpu_s: //p')
  echo "   server CPU: ${R_CPU}s = ${R_CPUMSG} µs/message (client: ${R_CLIENT}s)"
}

declare -A RATE CPUMSG P50 P99 CLIENT
for scenario in sign verify latency; do
  for server in opendkim inkan; do
    case $scenario in
      sign) run sign "$server" s "local:$WORK/$server.sock" "$CONNS" "$DURATION" \
              "$WORK/message.eml" 127.0.0.1 ;;
      verify) run verify "$server" v "local:$WORK/$server.sock" "$CONNS" "$DURATION" \
              "$WORK/signed.eml" 198.51.100.7 ;;
      latency) run latency "$server" s "inet:$PORT@127.0.0.1" 1 "$LATENCY_DURATION" \
              "$WORK/message.eml" 127.0.0.1 ;;
    esac
    RATE[$scenario-$server]=$R_RATE; CPUMSG[$scenario-$server]=$R_CPUMSG
    P50[$scenario-$server]=$R_P50; P99[$scenario-$server]=$R_P99
    CLIENT[$scenario-$server]=$R_CLIENT
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo
echo "== summary ($(nproc) CPUs; client and server share them)"
printf '%-34s %12s %12s %8s\n' "" OpenDKIM Inkan ratio
for s in sign verify; do
  printf '%-34s %12s %12s %7sx\n' "$s msg/s (unix, $CONNS conns)" "${RATE[$s-opendkim]}" \
    "${RATE[$s-inkan]}" "$(ratio "${RATE[$s-inkan]}" "${RATE[$s-opendkim]}")"
  printf '%-34s %12s %12s\n' "$s server CPU µs/msg" "${CPUMSG[$s-opendkim]}" "${CPUMSG[$s-inkan]}"
  printf '%-34s %12s %12s\n' "$s client CPU s (of ${DURATION}s)" "${CLIENT[$s-opendkim]}" \
    "${CLIENT[$s-inkan]}"
done
printf '%-34s %12s %12s\n' "sign p50 ms (inet, 1 conn)" "${P50[latency-opendkim]}" "${P50[latency-inkan]}"
printf '%-34s %12s %12s\n' "sign p99 ms (inet, 1 conn)" "${P99[latency-opendkim]}" "${P99[latency-inkan]}"
printf '%-34s %12s %12s\n' "sign msg/s (inet, 1 conn)" "${RATE[latency-opendkim]}" "${RATE[latency-inkan]}"
