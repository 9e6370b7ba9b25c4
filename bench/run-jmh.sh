#!/usr/bin/env bash
# Runs the JMH benchmarks jar with the project's JVM flags. The forked benchmark JVMs inherit the flags of
# this JVM (JMH copies the parent's input arguments when no -jvmArgs is given), so Agrona, Chronicle and
# Netty work there too. Arguments are JMH's: a benchmark regex, -prof gc, -f/-wi/-i, -rf json -rff out.json.
#   bench/run-jmh.sh CaptureFileReaderBenchmark -prof gc
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar="$here/bench/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "run-jmh: $jar not built; run: mvn -q -B -pl bench -am -DskipTests package" >&2
  exit 1
fi
exec "$JAVA_HOME/bin/java" "@$here/config/jvm.args" ${SENBETSU_BENCH_OPTS:-} -jar "$jar" "$@"
