#!/bin/sh
# Regenerates the tshark side of DecoderTsharkAgreementTest: one gzipped TSV per capture in
# ${senbetsu.shared}/pcaps, written to capture-core/src/test/resources/tshark-decode/<file>.tsv.gz.
# The output is committed so the tests need no tshark. Run from anywhere:
#   capture-core/src/test/tshark/generate-decode-reference.sh [SHARED_DIR]
#
# Oracle: TShark 4.0.17 (Debian 12 package 4.0.17-0+deb12u3). The first line of every output file
# (starting with '#') records the tshark version and the options used, so a regeneration with another
# version shows up in the diff. Captures that tshark cannot read completely keep what tshark printed
# before the error; the error text goes to the '# stderr:' line.
#
# Options: no name resolution (-n), no reassembly of IPv4/IPv6 fragments or TCP streams (each frame is
# dissected on its own, like senbetsu's decoder), every occurrence of a field (-E occurrence=a, joined
# with '|'), so tunnels show outer|...|inner and ICMP errors show outer|quoted.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
shared=${1:-$root/../shared}
out=$root/capture-core/src/test/resources/tshark-decode
mkdir -p "$out"
version=$(tshark --version 2>/dev/null | head -n 1)
opts="-n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=|"
fields="frame.number frame.time_epoch frame.interface_id frame.len frame.cap_len
 ip.src ip.dst ip.proto ip.flags.mf ip.frag_offset
 ipv6.src ipv6.dst ipv6.nxt ipv6.hopopts.nxt ipv6.routing.nxt ipv6.fraghdr.nxt ipv6.dstopts.nxt ah.next_header
 ipv6.fraghdr.offset ipv6.fraghdr.more
 tcp.srcport tcp.dstport tcp.flags udp.srcport udp.dstport sctp.srcport sctp.dstport
 icmp.type icmp.code icmpv6.type icmpv6.code vlan.id ieee8021ad.id mpls.label frame.protocols"
eargs=""
for f in $fields; do eargs="$eargs -e $f"; done
tail -n +2 "$shared/pcaps/MANIFEST.tsv" | cut -f1 | while read -r name; do
  tmp=$(mktemp)
  # shellcheck disable=SC2086
  tshark -r "$shared/pcaps/$name" $opts $eargs > "$tmp" 2> "$tmp.err" || true
  {
    printf '# %s; options: %s\n' "$version" "$opts"
    printf '# stderr: %s\n' "$(grep -v 'Running as user' "$tmp.err" | tr '\n\t' '  ' | sed "s#$shared/pcaps/##g")"
    cat "$tmp"
  } | gzip -n -9 > "$out/$name.tsv.gz"
  rm -f "$tmp" "$tmp.err"
done
echo "wrote $(ls "$out" | wc -l) reference files to $out"
