#!/usr/bin/env bash
# Set up and run: installs what is missing, builds, and runs the whole appliance pipeline on the bundled sample
# capture: domestic table → two-person-signed rule set → sealed store → ingest → verify → query → audit.
# Everything it makes lives in target/sample-lab (keys and passphrase included: a lab, not a deployment).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/install-prerequisites.sh
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -B -q -ntp -DskipTests package
senbetsu=bin/senbetsu
sample="$root/samples/border-sample.pcap"
lab="$root/target/sample-lab"
rm -rf "$lab" && mkdir -p "$lab/trusted" && chmod 700 "$lab"
user="${SUDO_USER:-$(id -un)}"

echo "== the first packets' machine information (lab tool on a file you hold)"
$senbetsu decode "$sample" | head -n 3

echo "== domestic address table from delegated statistics"
$senbetsu rules table build --delegated samples/delegated-sample.txt -o "$lab/domestic.table"

echo "== rule set signed by an operator and an approver (two-person rule)"
$senbetsu rules keygen --name sample-operator --role operator -o "$lab/operator"
$senbetsu rules keygen --name sample-approver --role approver -o "$lab/approver"
cp samples/sample-rules.yaml "$lab/rules.yaml"
$senbetsu rules sign --key "$lab/operator.key" "$lab/rules.yaml"
$senbetsu rules sign --key "$lab/approver.key" "$lab/rules.yaml"
cp "$lab/operator.pub" "$lab/approver.pub" "$lab/trusted/"

echo "== sealed store (passphrase key file; an HSM through PKCS#11 in production)"
(umask 077 && head -c 32 /dev/urandom | base64 > "$lab/keystore.pass")
$senbetsu store init --store "$lab/store" --credential-file "$lab/keystore.pass" \
  --operator "$user" --analyst "$user" --auditor "$user"
cp samples/senbetsu-sample.yaml "$lab/senbetsu.yaml"

echo "== ingest: decode → classify → flows → select → seal (counters only)"
$senbetsu ingest -c "$lab/senbetsu.yaml" "$sample"

echo "== verify both hash chains (auditor; needs no key)"
$senbetsu store verify --store "$lab/store"

echo "== query selected records (analyst; purpose and approval are audited)"
$senbetsu store query --store "$lab/store" --credential-file "$lab/keystore.pass" \
  --purpose "sample run" --purpose-approval SAMPLE-2026-0001 --approval SAMPLE-2026-0001 | head -n 3

echo "== the audit log's last entries"
$senbetsu store audit --store "$lab/store" | tail -n 4
