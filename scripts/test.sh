#!/usr/bin/env bash
# The test command: installs what the tests need, then builds and runs every module's tests.
# Heavy benchmarks are not part of it: they live in bench/ and run on demand (docs/performance.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/install-prerequisites.sh
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
if [ ! -d "$root/../shared/pcaps" ]; then
  echo "note: $root/../shared/pcaps is absent: tests against third-party captures will be skipped" >&2
fi
exec mvn -B -ntp verify "$@"
