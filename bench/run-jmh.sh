#!/usr/bin/env bash
# Runs JMH benchmarks from the shaded jar with the project's JVM flags in every fork:
#   bench/run-jmh.sh [JMH options] [benchmark regexp]     e.g. bench/run-jmh.sh -prof gc FlowTableUpdate
# Build first: mvn -q -B -pl bench -am package -DskipTests
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar=$(ls "$root"/bench/target/bench-*-benchmarks.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ]; then
  echo "run-jmh: build first: mvn -q -B -pl bench -am package -DskipTests" >&2
  exit 1
fi
exec "$JAVA_HOME/bin/java" "@$root/config/jvm.args" -jar "$jar" -jvmArgsPrepend "@$root/config/jvm.args" "$@"
