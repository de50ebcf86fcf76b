#!/usr/bin/env bash
# Builds jtorrent's packages from the CLI's runnable jar: a self-contained archive (bin/jtorrent,
# the jar and a jlink'ed Java runtime: no JDK needed) and a Debian package (the same files under
# /usr/lib/jtorrent, jtorrent on the PATH, a hardened systemd unit for the daemon, its own system
# user, state under /var/lib/jtorrent). Run by `mvn -B -Pdist package` (into dist/target/dist) and
# by the dist module's tests (into a temporary directory).
#   packaging/build-dist.sh JAR VERSION OUT_DIR
# The runtime is linked from JLINK_JDK if set, else from the JDK running this script's `java`
# (JAVA_HOME, else the PATH's). Needs jlink, tar and dpkg-deb; nothing is installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$(readlink -f "$1")"
version="$2"
out="$(mkdir -p "$3" && cd "$3" && pwd)"
[[ -f "$jar" ]] || { echo "build-dist: no jar at $1 (build the CLI first: mvn -B -DskipTests package)" >&2; exit 2; }

jdk="${JLINK_JDK:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
[[ -x "$jdk/bin/jlink" ]] || { echo "build-dist: no jlink in $jdk (set JLINK_JDK to a JDK)" >&2; exit 2; }

# Debian's versions sort "~" before anything: 0.1.0-SNAPSHOT becomes 0.1.0~snapshot
deb_version="$(echo "$version" | sed 's/-SNAPSHOT$/~snapshot/; s/-/~/g')"
name="jtorrent-$version"
work="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# ---- the self-contained tree: bin/, lib/, runtime/ ----
tree="$work/$name"
mkdir -p "$tree/bin" "$tree/lib" "$tree/share"
# the modules the jar needs (jdeps --print-module-deps), with TLS's elliptic curves and the JVM's
# management beans; a module this JDK does not have (jdk.crypto.ec is in java.base from JDK 22) is left out
wanted=(java.base java.desktop java.logging java.management java.naming java.net.http java.sql jdk.crypto.ec jdk.jfr
        jdk.management jdk.net jdk.unsupported)
have="$("$jdk/bin/java" --list-modules | sed 's/@.*//')"
modules=()
for m in "${wanted[@]}"; do
  grep -qx "$m" <<< "$have" && modules+=("$m")
done
jdk_major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")"
compress=--compress=2 # JDK 21 renamed the levels and deprecated the numbers
((jdk_major >= 21)) && compress=--compress=zip-6
"$jdk/bin/jlink" --add-modules "$(IFS=,; echo "${modules[*]}")" --output "$tree/runtime" \
    --strip-debug --no-header-files --no-man-pages "$compress"
cp "$jar" "$tree/lib/jtorrent.jar"
install -m 0755 "$here/bin/jtorrent" "$tree/bin/jtorrent"
# options the runtime needs, read by bin/jtorrent: JDK 23+ would warn at every start that Netty uses
# sun.misc.Unsafe's memory access (JEP 471) unless allowed
major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$tree/runtime/release")"
: > "$tree/lib/jvm.options"
((major >= 23)) && echo "--sun-misc-unsafe-memory-access=allow" >> "$tree/lib/jvm.options"
# ... and JDK 22+ that Netty loads its native transport's library (JEP 472)
((major >= 22)) && echo "--enable-native-access=ALL-UNNAMED" >> "$tree/lib/jvm.options"
cp "$root/LICENSE" "$root/README.md" "$tree/"
cp "$here/jtorrent-daemon.service" "$tree/share/"

# ---- the archive ----
tar -C "$work" -czf "$out/$name-linux-x64.tar.gz" "$name"

# ---- the Debian package ----
pkg="$work/deb"
mkdir -p "$pkg/DEBIAN" "$pkg/usr/lib/jtorrent" "$pkg/usr/bin" "$pkg/lib/systemd/system" "$pkg/usr/share/doc/jtorrent"
cp -a "$tree/bin" "$tree/lib" "$tree/runtime" "$pkg/usr/lib/jtorrent/"
ln -s ../lib/jtorrent/bin/jtorrent "$pkg/usr/bin/jtorrent" # relative: it also works in an unpacked tree
install -m 0644 "$here/jtorrent-daemon.service" "$pkg/lib/systemd/system/jtorrent-daemon.service"
install -m 0644 "$here/debian/copyright" "$pkg/usr/share/doc/jtorrent/copyright"
install -m 0644 "$root/README.md" "$pkg/usr/share/doc/jtorrent/README.md"
for script in postinst prerm postrm; do
  install -m 0755 "$here/debian/$script" "$pkg/DEBIAN/$script"
done
size_kib="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
sed -e "s/@VERSION@/$deb_version/" -e "s/@SIZE@/$size_kib/" "$here/debian/control" > "$pkg/DEBIAN/control"
chmod -R u+rwX,go+rX,go-w "$pkg"
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$out/jtorrent_${deb_version}_amd64.deb" > /dev/null
echo "$out/$name-linux-x64.tar.gz"
echo "$out/jtorrent_${deb_version}_amd64.deb"
