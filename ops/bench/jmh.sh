#!/usr/bin/env bash
# Builds the server's test classes and runs the JMH benchmarks in io.inkan.bench.
# Usage: ops/bench/jmh.sh [JMH arguments...]   e.g.  ops/bench/jmh.sh BodyHash -wi 2 -i 3
# With no arguments it runs every benchmark with a short profile (see QUICK below).
# Environment: INKAN_BUILD_DIR (default target-bench), MVN_ARGS (e.g. -o), JAVA (default java).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${INKAN_BUILD_DIR:-target-bench}"
results="$repo/ops/bench/results"
java="${JAVA:-java}"
QUICK=(-wi 2 -i 3 -f 1 -w 2s -r 3s)
read -r -a mvn_args <<<"${MVN_ARGS:-}"

cd "$repo"
mvn -q -B "${mvn_args[@]}" -pl server -am test-compile -DskipTests -Dinkan.buildDir="$build_dir"

server="$repo/server/$build_dir"
mvn -q -B "${mvn_args[@]}" -pl server \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dinkan.buildDir="$build_dir" -Dmdep.outputFile="$server/bench.classpath"
if [[ ! -s "$server/test-classes/META-INF/BenchmarkList" ]]; then
  echo "jmh.sh: no $server/test-classes/META-INF/BenchmarkList; did the JMH annotation processor run?" >&2
  exit 1
fi
classpath="$server/test-classes:$server/classes:$(cat "$server/bench.classpath")"

if [[ $# -eq 0 ]]; then
  set -- "${QUICK[@]}"
fi
mkdir -p "$results"
stamp="$(date +%Y%m%d-%H%M%S)"
echo "jmh.sh: results in $results/jmh-$stamp.{txt,json}" >&2
"$java" -cp "$classpath" org.openjdk.jmh.Main \
  -rf json -rff "$results/jmh-$stamp.json" "$@" | tee "$results/jmh-$stamp.txt"
