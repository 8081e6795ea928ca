#!/usr/bin/env bash
# One node against a cluster of two signers and two front-ends, all on this machine: messages/s
# signing with the same 2048-bit RSA key and load client (`inkan bench`), CPU seconds per message
# of each process (utime+stime from /proc/PID/stat), and the event-bus round trip per request
# (p50/p99 from the front-ends' inkan_cluster_request_seconds histogram). See ops/bench/README.md,
# "Cluster".
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INKAN_JAR=${INKAN_JAR:-$ROOT/server/target/inkan.jar}
JAVA=${JAVA:-java}
CONNS=${CONNS:-8}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
HEAP=${HEAP:-512m}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:-}  # e.g. -XX:StartFlightRecording=... to profile the nodes
WORK=${WORK:-$(mktemp -d /tmp/inkan-cluster-bench.XXXXXX)}
mkdir -p "$WORK"
TICKS=$(getconf CLK_TCK)

[[ -f $INKAN_JAR ]] || { echo "cluster: $INKAN_JAR missing (mvn -pl server -am package)" >&2; exit 2; }
command -v openssl >/dev/null || { echo "cluster: openssl missing" >&2; exit 2; }
INKAN_BENCH="$JAVA -cp $INKAN_JAR io.inkan.bench.BenchCommand"
echo "== work folder $WORK"
cd "$WORK"

# --- key, message, cluster CA and node certificates ------------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sel.private 2>/dev/null
chmod 600 sel.private
printf 'sel example.com:sel:%s\n' "$WORK/sel.private" > keytable
printf 'example.com sel\n' > signingtable
{
  printf 'From: Joe Sender <joe@example.com>\nTo: Ann Receiver <ann@example.net>\n'
  printf 'Subject: quarterly numbers and the plan for next week\n'
  printf 'Date: Sat, 28 Nov 2026 10:00:00 +0000\nMessage-ID: <bench-1@example.com>\n\n'
  for i in $(seq 1 52); do
    printf 'Line %02d of the sample body, plain prose of a typical length for mail.  \n' "$i"
  done
} > message.eml
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 \
  -subj "/CN=bench cluster CA" 2>/dev/null
for n in 2 3 4 5; do
  openssl req -newkey rsa:2048 -nodes -keyout node$n.key -out node$n.csr \
    -subj "/CN=node$n" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.%s\n' "$n" > node$n.ext
  openssl x509 -req -in node$n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
    -extfile node$n.ext -out node$n.crt 2>/dev/null
done

port() { python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$1"; }
MEMBERS=""
for n in 2 3 4 5; do
  P[$n]=$(port 127.0.0.$n)
  MEMBERS+="${MEMBERS:+,}127.0.0.$n:${P[$n]}"
done

cpu_ticks() {
  local s
  s=$(< "/proc/$1/stat")
  s=${s##*) }
  read -r -a f <<< "$s"
  echo $(( f[11] + f[12] ))
}

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start() { # NAME CONF -> PID in $STARTED
  # shellcheck disable=SC2086
  $JAVA -Xmx$HEAP $NODE_JAVA_OPTS -jar "$INKAN_JAR" serve -x "$2" > "$WORK/$1.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

await_log() { # NAME TEXT
  for _ in $(seq 1 600); do
    grep -q "$2" "$WORK/$1.log" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "cluster: $1 never logged '$2'" >&2; cat "$WORK/$1.log" >&2; exit 1
}

bench() { # SOCKET SECONDS -> output
  $INKAN_BENCH --socket "local:$1" --conns "$CONNS" --duration "$2" --message message.eml \
    --client-ip 127.0.0.1
}

field() { sed -n "s/^$1: //p"; }

# --- one node ----------------------------------------------------------------------------------
cat > single.conf <<EOF
Mode s
Socket local:$WORK/single.sock
KeyTable $WORK/keytable
SigningTable $WORK/signingtable
EOF
start single single.conf
SINGLE=$STARTED
await_log single "inkan serving"
bench "$WORK/single.sock" "$WARMUP" > single.warmup
before=$(cpu_ticks "$SINGLE")
bench "$WORK/single.sock" "$DURATION" > single.out
after=$(cpu_ticks "$SINGLE")
kill "$SINGLE"; wait "$SINGLE" 2>/dev/null || true
S_RATE=$(field 'messages\/s' < single.out)
S_MSGS=$(field messages < single.out)
S_CPU=$(awk -v t=$((after - before)) -v hz="$TICKS" -v n="$S_MSGS" 'BEGIN { printf "%.1f", t / hz / n * 1e6 }')
echo "-- one node: $S_RATE msg/s, $S_CPU µs CPU/message"
sed 's/^/   /' single.out

# --- two signers, two front-ends -------------------------------------------------------------
cluster_conf() { # N ROLE
  local n=$1 role=$2
  {
    if [[ $role == signer ]]; then
      echo "Mode s"; echo "KeyTable $WORK/keytable"; echo "SigningTable $WORK/signingtable"
    else
      echo "Mode s"; echo "Socket local:$WORK/fe$n.sock"; echo "AdminListen 127.0.0.1:0"
    fi
    echo "ClusterRole $role"; echo "ClusterName bench-$$"
    echo "ClusterListen 127.0.0.$n:${P[$n]}"; echo "ClusterMembers $MEMBERS"
    echo "ClusterCertificate $WORK/node$n.crt"; echo "ClusterKey $WORK/node$n.key"
    echo "ClusterCAFile $WORK/ca.crt"
  } > node$n.conf
}
cluster_conf 2 signer; cluster_conf 3 signer; cluster_conf 4 frontend; cluster_conf 5 frontend
for n in 2 3 4 5; do start node$n node$n.conf; NODE[$n]=$STARTED; done
await_log node2 "signer serving"; await_log node3 "signer serving"
await_log node4 "inkan serving"; await_log node5 "inkan serving"
bench "$WORK/fe4.sock" "$WARMUP" > fe4.warmup & w4=$!
bench "$WORK/fe5.sock" "$WARMUP" > fe5.warmup & w5=$!
wait $w4 $w5 || true
for n in 2 3 4 5; do B[$n]=$(cpu_ticks "${NODE[$n]}"); done
bench "$WORK/fe4.sock" "$DURATION" > fe4.out & b4=$!
bench "$WORK/fe5.sock" "$DURATION" > fe5.out & b5=$!
wait $b4 $b5
for n in 2 3 4 5; do A[$n]=$(cpu_ticks "${NODE[$n]}"); done
C_RATE=$(awk -v a="$(field 'messages\/s' < fe4.out)" -v b="$(field 'messages\/s' < fe5.out)" 'BEGIN { printf "%.0f", a + b }')
C_MSGS=$(( $(field messages < fe4.out) + $(field messages < fe5.out) ))
cpu() { awk -v t="$1" -v hz="$TICKS" -v n="$C_MSGS" 'BEGIN { printf "%.1f", t / hz / n * 1e6 }'; }
FE_CPU=$(cpu $(( A[4] - B[4] + A[5] - B[5] )))
SG_CPU=$(cpu $(( A[2] - B[2] + A[3] - B[3] )))
echo "-- cluster (2 front-ends + 2 signers): $C_RATE msg/s; CPU per message: front-ends $FE_CPU µs, signers $SG_CPU µs"
sed 's/^/   fe4 /' fe4.out; sed 's/^/   fe5 /' fe5.out

# Event-bus round trips from one front-end's histogram (Prometheus buckets, cumulative).
admin=$(grep -o 'admin endpoint[^0-9]*[0-9.:]*' node4.log | grep -o '127.0.0.1:[0-9]*' | head -1 || true)
if [[ -n $admin ]]; then
  curl -s "http://$admin/metrics" | grep '^inkan_cluster_request_seconds_bucket' > rtt.txt || true
  awk '
    { match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5); n[NR] = $NF; b[NR] = le }
    END {
      total = n[NR]
      for (q = 0; q < 2; q++) {
        want = (q == 0 ? 0.5 : 0.99) * total
        for (i = 1; i <= NR; i++) if (n[i] >= want) { v[q] = b[i]; break }
      }
      printf "-- event-bus round trip (front-end node4, %d requests): p50 <= %.2f ms, p99 <= %.2f ms\n", total, v[0] * 1000, v[1] * 1000
    }' rtt.txt
else
  echo "-- event-bus round trip: admin endpoint address not found in node4.log"
fi
echo "== logs and outputs in $WORK"
