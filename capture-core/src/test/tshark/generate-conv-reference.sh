#!/usr/bin/env bash
# Regenerates tshark's TCP and UDP conversation tables for every capture in the shared corpus, the oracle the
# flow meter is checked against (FlowTsharkAgreementTest). Run from anywhere:
#
#   capture-core/src/test/tshark/generate-conv-reference.sh [SHARED_DIR]
#
# SHARED_DIR defaults to <project>/../shared. For each capture tshark reads without error it writes
# capture-core/src/test/resources/tshark-conv/<capture>.conv.gz, tshark's own text (`-q -z conv,tcp -z conv,udp`,
# one table per protocol, byte counts are frame lengths as tshark prints them). Captures tshark refuses are
# listed with tshark's error in skipped.tsv so the test knows why they are absent. Files are gzipped with -n so
# regenerating with the same tshark gives byte-identical output. The tshark version is recorded in VERSION.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
shared="${1:-$root/../shared}"
out="$root/capture-core/src/test/resources/tshark-conv"
mkdir -p "$out"
rm -f "$out"/*.conv.gz "$out"/skipped.tsv
tshark -v 2>/dev/null | head -n 1 > "$out/VERSION"
printf 'capture\ttshark_error\n' > "$out/skipped.tsv"
count=0
for f in "$shared"/pcaps/*; do
  name="$(basename "$f")"
  case "$name" in README.md|MANIFEST.tsv) continue ;; esac
  err="$(mktemp)"
  # -o tcp.analyze_sequence_numbers is left at its default; conversations do not depend on it.
  if tshark -n -q -r "$f" -z conv,tcp -z conv,udp > "$out/$name.conv" 2> "$err" \
      && ! grep -v '^Running as user' "$err" | grep -q .; then
    gzip -n -9 -f "$out/$name.conv"
    count=$((count + 1))
  else
    rm -f "$out/$name.conv"
    printf '%s\t%s\n' "$name" "$(grep -v '^Running as user' "$err" | tr '\t\n' '  ' | sed "s#$shared/pcaps/##g")" >> "$out/skipped.tsv"
  fi
  rm -f "$err"
done
echo "tshark conversation tables for $count captures in $out" >&2
