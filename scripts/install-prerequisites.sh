#!/usr/bin/env bash
# Installs the Debian packages senbetsu's build, tests and sample run need, when they are missing.
# Needs root (or sudo). JDK 25 is not a Debian package: it is expected at /usr/lib/jvm/temurin-25-jdk-amd64
# (Eclipse Temurin's .deb installs it there) or wherever JAVA_HOME points.
set -euo pipefail
# what the tests call: libpcap (live source), softhsm2 (PKCS#11 token), tshark (oracle tests), tcpreplay, iproute2
# and procps (veth pairs in network namespaces)
packages=(maven libpcap0.8 softhsm2 tshark tcpreplay iproute2 procps)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -q >/dev/null || true
  $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  if /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -version >/dev/null 2>&1; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  else
    echo "senbetsu needs a JDK 25 (Eclipse Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64, or set JAVA_HOME)" >&2
    exit 2
  fi
fi
