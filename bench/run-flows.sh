#!/usr/bin/env bash
# End-to-end flow-meter benchmark: one generated capture, metered by `senbetsu flows` and, in the same run,
# by argus, nfdump's nfpcapd, softflowd and pmacctd (Debian packages). Prints packets/second per tool and the
# ratio to the fastest peer.
#
#   bench/run-flows.sh [--packets N] [--flows N] [--seed S] [--runs R]
#
# senbetsu runs three ways: as shipped (the launcher with its AOT cache, trained first by
# scripts/train-aot-cache.sh on a capture of another seed), without the AOT cache, and with Agrona's bounds checks
# off (-Dagrona.disable.bounds.checks=true, as Aeron recommends in production once the code is trusted). Its
# `--stats` line gives the pipeline's own rate (after JVM start-up) too; a last run meters a capture three times as
# long from the same generator (same flows, same rates, continuous time), and the difference from the normal
# capture gives the rate once the JIT has warmed up.
# Defaults: 5,000,000 packets, 100,000 concurrent flows, seed 1, best of 3 rounds (each round runs every tool once). Needs a build:
#   mvn -q -B -DskipTests package
# The capture is generated once with the project's seeded generator (bench/generate-traffic.sh) and cached in
# ${SENBETSU_BENCH_DIR:-/tmp/senbetsu-bench}. Every tool reads the same file; outputs go to scratch files.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packets=5000000
flows=100000
seed=1
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --packets) packets="$2"; shift 2 ;;
    --flows) flows="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "run-flows: unknown option $1" >&2; exit 2 ;;
  esac
done
work="${SENBETSU_BENCH_DIR:-/tmp/senbetsu-bench}"
mkdir -p "$work"
capture="$work/flows-${packets}p-${flows}f-s${seed}.pcap"
long_capture="$work/flows-$((3 * packets))p-${flows}f-s${seed}.pcap"
for c in "$capture:$packets" "$long_capture:$((3 * packets))"; do
  file="${c%:*}"
  if [ ! -s "$file" ]; then
    "$root/bench/generate-traffic.sh" --packets "${c##*:}" --flows "$flows" --seed "$seed" -o "$file.tmp" >&2
    mv "$file.tmp" "$file"
  fi
done
scratch="$(mktemp -d "$work/run.XXXXXX")"
trap 'rm -rf "$scratch" "$sfctl" "$sfctl.pid"' EXIT

cat > "$scratch/pmacctd.conf" <<CONF
daemonize: false
pcap_savefile: $capture
pcap_savefile_wait: false
plugins: print
aggregate: src_host, dst_host, src_port, dst_port, proto
print_output: csv
print_output_file: $scratch/pmacct.csv
print_refresh_time: 3600
CONF

sfctl="$scratch/softflowd.ctl"
# name | command (reads $capture, writes only into $scratch and $sfctl)
"$root/scripts/train-aot-cache.sh" >&2
tools=(
  "senbetsu flows|$root/bin/senbetsu flows --stats $capture > $scratch/senbetsu.jsonl"
  "senbetsu, no AOT cache|SENBETSU_AOT_CACHE=/nonexistent $root/bin/senbetsu flows --stats $capture > $scratch/senbetsu.jsonl"
  "senbetsu, no bounds chk|SENBETSU_JAVA_OPTS=-Dagrona.disable.bounds.checks=true $root/bin/senbetsu flows --stats $capture > $scratch/senbetsu.jsonl"
  "argus -r|argus -r $capture -w $scratch/argus.out"
  "nfpcapd -r|mkdir -p $scratch/nfdump && nfpcapd -r $capture -w $scratch/nfdump"
  "softflowd -r|$root/bench/softflowd-read.sh $capture $sfctl -m 2000000 -n 127.0.0.1:9"
  "pmacctd savefile|pmacctd -f $scratch/pmacctd.conf"
)

once() { # one run of a tool: keeps its wall time, max RSS and --stats line if they are its best so far
  local name="$1" cmd="$2" key="${1//[^a-z]/_}"
  [ "${secs[$name]:-}" = fail ] && return  # failed in an earlier round: reported as failed, not run again
  rm -rf "$scratch"/*.out "$scratch"/nfdump "$scratch"/*.csv "$sfctl" "$sfctl.pid"
  if ! /usr/bin/time -f "%e %M" -o "$scratch/time" timeout 600 bash -c "$cmd" > /dev/null 2> "$scratch/stderr"; then
    echo "FAILED: $cmd" >&2; tail -n 5 "$scratch/stderr" >&2; secs[$name]=fail; return
  fi
  read -r t m < "$scratch/time"
  if [ -z "${secs[$name]:-}" ] || awk "BEGIN{exit !($t < ${secs[$name]})}"; then
    secs[$name]=$t; rss[$name]=$m
    grep '^flows: ' "$scratch/stderr" > "$scratch/stats-$key" || true
  fi
}

printf 'capture: %s (%s packets, %s concurrent flows, seed %s); best of %s rounds on %s cores\n' \
  "$capture" "$packets" "$flows" "$seed" "$runs" "$(nproc)"
# Rounds, each running every tool once: this VM's speed drifts by tens of per cent over minutes, so every tool's
# best run comes from the same span of time instead of each tool meeting its own weather.
declare -A secs rss
for _ in $(seq "$runs"); do
  for entry in "${tools[@]}"; do
    once "${entry%%|*}" "${entry#*|}"
  done
done
fastest_peer=""
for entry in "${tools[@]:3}"; do
  name="${entry%%|*}"; s="${secs[$name]}"
  [ "$s" = fail ] && continue
  if [ -z "$fastest_peer" ] || awk "BEGIN{exit !($s < ${secs[$fastest_peer]})}"; then fastest_peer="$name"; fi
done
printf '\n%-24s %10s %14s %16s %12s\n' tool seconds "packets/s" "vs fastest peer" "max RSS MiB"
for entry in "${tools[@]}"; do
  name="${entry%%|*}"; s="${secs[$name]}"
  if [ "$s" = fail ]; then printf '%-24s %10s\n' "$name" failed; continue; fi
  pps=$(awk "BEGIN{printf \"%.0f\", $packets / $s}")
  ratio=$(awk "BEGIN{printf \"%.2fx\", ${secs[$fastest_peer]} / $s}")
  printf '%-24s %10.2f %14s %16s %12d\n' "$name" "$s" "$pps" "$ratio" "$(( ${rss[$name]} / 1024 ))"
done
printf '\nsenbetsu flows printed %s flows\n' "$(wc -l < "$scratch/senbetsu.jsonl" 2>/dev/null || echo '?')"
for entry in "${tools[@]:0:3}"; do
  name="${entry%%|*}"; f="$scratch/stats-${name//[^a-z]/_}"
  [ -s "$f" ] && printf '%-24s %s\n' "$name" "$(cat "$f")"
done

# warmed up: the long capture's extra packets over its extra pipeline time (best of $runs each, alternated)
stats_field() { sed -n "s/.*flows: \([0-9]*\) packets, \([0-9]*\) flows; pipeline \([0-9.]*\) s.*/\\$1/p" "$2"; }
declare -A fastest
for _ in $(seq "$runs"); do
  for file in "$capture" "$long_capture"; do
    "$root/bin/senbetsu" flows --stats "$file" > /dev/null 2> "$scratch/run"
    [ -n "$(stats_field 3 "$scratch/run")" ] || { echo "run-flows: no --stats line from $file" >&2; continue; }
    if [ -z "${fastest[$file]:-}" ] || awk "BEGIN{exit !($(stats_field 3 "$scratch/run") < ${fastest[$file]##* })}"; then
      fastest[$file]="$(stats_field 1 "$scratch/run") $(stats_field 2 "$scratch/run") $(stats_field 3 "$scratch/run")"
    fi
  done
done
read -r p1 f1 t1 <<< "${fastest[$capture]:-}"
read -r p3 f3 t3 <<< "${fastest[$long_capture]:-}"
if [ -z "${t1:-}" ] || [ -z "${t3:-}" ] || ! awk -v t1="$t1" -v t3="$t3" 'BEGIN { exit !(t3 > t1) }'; then
  echo "senbetsu flows once warmed up: not measurable in this run (no figures, or the longer capture was not slower)"
  exit 0
fi
awk -v p1="$p1" -v t1="$t1" -v p3="$p3" -v t3="$t3" -v f1="$f1" -v f3="$f3" 'BEGIN {
  printf "\nsenbetsu flows once warmed up: %.2f M packets/s (%d packets, %d flows: pipeline %.3f s; %d packets, %d flows: %.3f s)\n",
    (p3 - p1) / (t3 - t1) / 1e6, p1, f1, t1, p3, f3, t3 }'

