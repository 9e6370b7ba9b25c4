#!/usr/bin/env bash
# Set up and run: installs what is missing, builds, and runs senbetsu on the bundled sample capture.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/install-prerequisites.sh
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -B -q -ntp -DskipTests package
sample="$root/samples/border-sample.pcap"
echo "== senbetsu decode (first 5 packets of $sample)"
bin/senbetsu decode "$sample" | head -n 5
