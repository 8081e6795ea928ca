#!/usr/bin/env bash
# Builds the inkan Debian package from the fat jar with the JDK's jpackage.
#
#   ops/package/build-deb.sh [--jar FILE] [--dest DIR] [--release N] [--compress TYPE]
#
# --jar      the fat jar (default server/target/inkan.jar: mvn -DskipTests package)
# --dest     where the .deb goes (default: the jar's folder)
# --release  the Debian revision (default 1)
# --compress zstd (default: seconds; dpkg reads it since Debian 12), xz (minutes, 10 %
#            smaller, for any dpkg), gzip or none
#
# Needs a JDK 17+ (JAVA_HOME, else PATH: jdeps, jlink, jpackage, jar), dpkg-deb and fakeroot.
# Prints the path of the .deb as its last line. Exit 3 when a tool is missing, naming it.
# ops/package/README.md describes what goes where.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=$repo/server/target/inkan.jar
dest=
release=1
compress=zstd
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --dest) dest=$2; shift 2 ;;
    --release) release=$2; shift 2 ;;
    --compress) compress=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d'; exit 0 ;;
    *) echo "build-deb.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "build-deb.sh: $*" >&2; exit 2; }

# The JDK tools come from JAVA_HOME when it is set, else from PATH.
jdk() { if [ -n "${JAVA_HOME:-}" ]; then echo "$JAVA_HOME/bin/$1"; else command -v "$1" || echo "$1"; fi; }
missing=()
for tool in jdeps jlink jpackage jar; do
  [ -x "$(jdk "$tool")" ] || missing+=("$tool (a JDK 17+, Debian package openjdk-17-jdk-headless)")
done
command -v dpkg-deb >/dev/null || missing+=("dpkg-deb (Debian package dpkg)")
command -v fakeroot >/dev/null || missing+=("fakeroot (Debian package fakeroot)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'build-deb.sh: missing %s\n' "${missing[@]}" >&2
  exit 3
fi
[ -f "$jar" ] || fail "no $jar; build it first: mvn -DskipTests package"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
dest=$(mkdir -p "${dest:-$(dirname "$jar")}" && cd "${dest:-$(dirname "$jar")}" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The Debian version is the jar's Implementation-Version (the Maven project version):
# 1.2.0-SNAPSHOT becomes 1.2.0~snapshot, which sorts before the release 1.2.0.
(cd "$work" && "$(jdk jar)" xf "$jar" META-INF/MANIFEST.MF)
maven_version=$(sed -n 's/^Implementation-Version: *//p' "$work/META-INF/MANIFEST.MF" | tr -d '\r')
version=$(printf '%s' "$maven_version" | tr 'A-Z' 'a-z' | tr '-' '~')
[[ $version =~ ^[0-9][a-z0-9.+~]*$ ]] || fail "jar version '$maven_version' is no Debian version"
case $compress in zstd|xz|gzip|none) ;; *) fail "--compress $compress: zstd, xz, gzip or none" ;; esac
[[ $release =~ ^[0-9][a-z0-9.+~]*$ ]] || fail "release '$release' is no Debian revision"

# A runtime of the modules the jar uses (jdeps), plus providers found through services,
# which jdeps cannot see: EC for TLS, the extra charsets of the JDBC drivers. JE needs
# java.beans from java.desktop, but not its AWT and sound libraries (and their X11 and ALSA
# package dependencies).
modules=$("$(jdk jdeps)" --multi-release 17 --ignore-missing-deps --print-module-deps "$jar")
modules=$modules,jdk.crypto.ec,jdk.charsets
"$(jdk jlink)" --add-modules "$modules" --exclude-files 'glob:/java.desktop/lib/**' \
  --strip-debug --no-man-pages --no-header-files --output "$work/runtime"

# jpackage lays the application out under /usr (/usr/bin/inkan, /usr/lib/inkan/) and writes
# the control file and maintainer scripts from resources/. Its .deb is left uncompressed:
# it is unpacked again below.
mkdir "$work/input" "$work/jpackage"
cp "$jar" "$work/input/inkan.jar"
DPKG_DEB_COMPRESSOR_TYPE=none "$(jdk jpackage)" --type deb \
  --name inkan --app-version "$version" --linux-app-release "$release" \
  --description "DKIM signing and verification milter" \
  --vendor "${DEBFULLNAME:-Inkan}" --linux-deb-maintainer "${DEBEMAIL:-packaging@inkan.invalid}" \
  --linux-app-category mail \
  --input "$work/input" --main-jar inkan.jar --main-class io.inkan.cli.InkanMain \
  --runtime-image "$work/runtime" --install-dir /usr \
  --resource-dir "$here/resources" --dest "$work/jpackage" >"$work/jpackage.log" 2>&1 \
  || { cat "$work/jpackage.log" >&2; fail "jpackage failed"; }

# jpackage (JDK 17) installs only below its install folder and marks no conffiles, so the
# unit, the example configuration and the conffiles list are added here; then the package is
# built again with dpkg-deb.
root=$work/root
dpkg-deb -R "$work"/jpackage/*.deb "$root"
[ -x "$root/usr/bin/inkan" ] || fail "jpackage did not make /usr/bin/inkan"
grep -q '^ExecStart=/usr/bin/inkan serve ' "$repo/ops/systemd/inkan.service" \
  || fail "ops/systemd/inkan.service must start /usr/bin/inkan, the packaged launcher"
install -D -m 0644 "$repo/ops/systemd/inkan.service" "$root/lib/systemd/system/inkan.service"
install -D -m 0644 "$here/inkan.conf" "$root/etc/inkan/inkan.conf"
for f in run-as-user.conf postfix-main.cf sendmail.mc; do
  install -D -m 0644 "$repo/ops/systemd/$f" "$root/usr/share/doc/inkan/examples/$f"
done
echo /etc/inkan/inkan.conf >"$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -i "s/^Installed-Size: .*/Installed-Size: $size/" "$root/DEBIAN/control"

deb=$dest/inkan_${version}-${release}_$(dpkg-deb -f "$work"/jpackage/*.deb Architecture).deb
dpkg-deb --root-owner-group -Z"$compress" -b "$root" "$deb" >/dev/null
echo "$deb"
