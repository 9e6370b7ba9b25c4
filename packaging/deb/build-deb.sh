#!/usr/bin/env bash
# Builds senbetsu_<version>_amd64.deb from a packaged tree (run `mvn -DskipTests package` first).
# Layout: /usr/lib/senbetsu (jars, jvm.args), /usr/bin/senbetsu, /etc/senbetsu, the systemd unit, docs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="${1:-$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)}"
out="${2:-$root/packaging/target}"
stage="$(mktemp -d)"
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT
jar=$(ls "$root"/appliance/target/appliance-*.jar | head -n 1)
install -d "$stage/DEBIAN" "$stage/usr/lib/senbetsu/lib" "$stage/usr/bin" "$stage/etc/senbetsu" \
  "$stage/lib/systemd/system" "$stage/usr/share/doc/senbetsu"
install -m 0644 "$jar" "$stage/usr/lib/senbetsu/senbetsu.jar"
install -m 0644 "$root"/appliance/target/lib/*.jar "$stage/usr/lib/senbetsu/lib/"
install -m 0644 "$root/config/jvm.args" "$stage/usr/lib/senbetsu/jvm.args"
install -m 0644 "$root/config/jvm-appliance.args" "$stage/usr/lib/senbetsu/jvm-appliance.args"
install -d "$stage/usr/share/senbetsu"
install -m 0644 "$root/samples/border-sample.pcap" "$stage/usr/share/senbetsu/training.pcap"
cat > "$stage/usr/bin/senbetsu" <<'LAUNCHER'
#!/bin/sh
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# the AOT cache that postinst trains: start-up and warm-up only, skipped without a word if this JVM refuses it
aot=""
if [ -f /var/cache/senbetsu/senbetsu.aot ]; then
  aot="-XX:AOTCache=/var/cache/senbetsu/senbetsu.aot -Xlog:aot=off -Xlog:cds=off"
fi
exec "$JAVA_HOME/bin/java" @/usr/lib/senbetsu/jvm.args @/usr/lib/senbetsu/jvm-appliance.args $aot \
  $SENBETSU_JAVA_OPTS -cp "/usr/lib/senbetsu/senbetsu.jar:/usr/lib/senbetsu/lib/*" \
  jp.senbetsu.appliance.cli.SenbetsuCommand "$@"
LAUNCHER
chmod 0755 "$stage/usr/bin/senbetsu"
install -m 0644 "$root/packaging/systemd/senbetsu.service" "$stage/lib/systemd/system/senbetsu.service"
install -m 0644 "$root/README.md" "$stage/usr/share/doc/senbetsu/README.md"
cp -r "$root/docs" "$stage/usr/share/doc/senbetsu/docs"
if [ -f "$root/config/senbetsu.yaml" ]; then
  install -m 0640 "$root/config/senbetsu.yaml" "$stage/etc/senbetsu/senbetsu.yaml"
  echo "/etc/senbetsu/senbetsu.yaml" > "$stage/DEBIAN/conffiles"
fi
cat > "$stage/DEBIAN/control" <<CONTROL
Package: senbetsu
Version: ${version/-SNAPSHOT/~snapshot}
Section: net
Priority: optional
Architecture: amd64
Depends: libpcap0.8, adduser
Recommends: softhsm2 | opensc-pkcs11
Maintainer: senbetsu team <dev@senbetsu.jp>
Description: metadata capture appliance for cross-border exchange points
 Keeps only machine information of mirrored traffic, classifies it by a domestic
 address table, selects by signed rules bound to approvals, and seals what is
 selected into an encrypted, append-only, tamper-evident store with an audit log.
 Needs a JDK 25 (Eclipse Temurin at /usr/lib/jvm/temurin-25-jdk-amd64).
CONTROL
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  getent group senbetsu >/dev/null || addgroup --system senbetsu
  getent passwd senbetsu >/dev/null || adduser --system --ingroup senbetsu --home /var/lib/senbetsu \
    --no-create-home --shell /usr/sbin/nologin senbetsu
  install -d -m 0700 -o senbetsu -g senbetsu /var/lib/senbetsu
  [ -f /etc/senbetsu/senbetsu.yaml ] && chgrp senbetsu /etc/senbetsu/senbetsu.yaml || true
  # AOT cache for these jars and this JDK (JDK 25, JEPs 483/515): one lab run over the bundled sample. Only a
  # speed matter, so a missing JDK or a failed run leaves no cache and no error.
  # A clean environment (no JAVA_TOOL_OPTIONS or JAVA_HOME of whoever runs apt), the service's JDK, a time limit;
  # the cache stays root's, so the service user can read it but never change what root's CLI runs load.
  install -d -m 0755 -o root -g root /var/cache/senbetsu
  rm -f /var/cache/senbetsu/senbetsu.aot
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 \
    SENBETSU_JAVA_OPTS="-XX:AOTCacheOutput=/var/cache/senbetsu/senbetsu.aot" \
    timeout 300 /usr/bin/senbetsu flows /usr/share/senbetsu/training.pcap > /dev/null 2>&1 \
    || rm -f /var/cache/senbetsu/senbetsu.aot
fi
POSTINST
chmod 0755 "$stage/DEBIAN/postinst"
cat > "$stage/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
rm -f /var/cache/senbetsu/senbetsu.aot
PRERM
chmod 0755 "$stage/DEBIAN/prerm"
cat > "$stage/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ "$1" = purge ]; then
  rm -rf /var/cache/senbetsu
fi
POSTRM
chmod 0755 "$stage/DEBIAN/postrm"
mkdir -p "$out"
dpkg-deb --root-owner-group --build "$stage" "$out/senbetsu_${version/-SNAPSHOT/~snapshot}_amd64.deb"
