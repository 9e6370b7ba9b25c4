#!/usr/bin/env bash
# Runs the seeded traffic generator: bench/generate-traffic.sh --packets N --flows N --seed S -o FILE
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar=$(ls "$here"/bench/target/bench-*.jar 2>/dev/null | grep -v benchmarks | head -n 1 || true)
if [ -z "$jar" ]; then
  echo "generate-traffic: build first: mvn -q -DskipTests package" >&2
  exit 1
fi
appliance=$(ls "$here"/appliance/target/appliance-*.jar 2>/dev/null | head -n 1 || true)
if [ -z "$appliance" ]; then
  echo "generate-traffic: build first: mvn -q -DskipTests package (the appliance jar is missing)" >&2
  exit 1
fi
exec "$JAVA_HOME/bin/java" -cp "$jar:$appliance:$here/appliance/target/lib/*" jp.senbetsu.bench.gen.TrafficGenerator "$@"
