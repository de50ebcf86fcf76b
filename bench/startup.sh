#!/usr/bin/env bash
# Start-up: `./jtorrent info FILE.torrent` through the launcher, as users run it (its staleness
# check included), median of RUNS, against transmission-show and `aria2c -S` on the same file in
# the same run; and the launcher's choices side by side: without its class-data archive, on the
# newest JDK installed (JTORRENT_JAVA), and the launcher as it was (JDK 17's java -jar, parallel collector, C2).
#   bench/startup.sh [RUNS=10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
work="${BENCH_DIR:-$root/bench/work}/startup"
mkdir -p "$work"
head -c $((64 * 1024 * 1024)) /dev/zero > "$work/data.bin"
torrent="$work/t.torrent"
"$root/jtorrent" create "$work/data.bin" -o "$torrent" --force --no-date > /dev/null # builds and caches, untimed

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_runs() { # the median wall time of RUNS runs of the command
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
  done | median
}

jar="$root/cli/target/jtorrent.jar"
# the launcher's check now (the modules' src/main and the poms), and as it was (the whole tree)
staleness() { find "$root"/*/src/main "$root/pom.xml" "$root"/*/pom.xml -type f -newer "$jar" -print -quit; }
old_staleness() { find "$root" \( -name target -o -name .git -o -name bench \) -prune -o \
    \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f -newer "$jar" -print -quit; }
before() { old_staleness > /dev/null; java -XX:+UseParallelGC -Xmx512m -jar "$jar" "$@"; } # the launcher of 2026-11

launcher=$(time_runs "$root/jtorrent" info "$torrent")
old=$(time_runs before info "$torrent")
nocache=$(time_runs env JTORRENT_NO_CACHE=1 "$root/jtorrent" info "$torrent")
check=$(time_runs staleness)
ts=$(time_runs transmission-show "$torrent")
ar=$(time_runs aria2c -S "$torrent")
newest="$(ls -d /usr/lib/jvm/*/bin/java | tail -1)"
for j in /usr/lib/jvm/*/bin/java; do # the newest by its release file
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$(readlink -f "$j")")/../release" 2> /dev/null || true)"
  [[ "${v:-0}" -gt "${newest_v:-0}" ]] && { newest="$j"; newest_v="$v"; }
done
env JTORRENT_JAVA="$newest" "$root/jtorrent" --version > /dev/null 2>&1 # its archive made, untimed
j17=$(time_runs env JTORRENT_JAVA="$newest" "$root/jtorrent" info "$torrent")

printf '`info` of a 64 MiB torrent, median of %d runs, wall seconds\n' "$runs"
printf '%-58s %6.3f\n' "./jtorrent info (JDK 17, static class-data archive, C1, G1)" "$launcher"
printf '%-58s %6.3f\n' "  the same without the archive (JTORRENT_NO_CACHE=1)" "$nocache"
printf '%-58s %6.3f\n' "  the same on JDK ${newest_v:-?} (JTORRENT_JAVA)" "$j17"
printf '%-58s %6.3f\n' "  the launcher before (java -jar, parallel GC, C2)" "$old"
printf '%-58s %6.3f\n' "  of which the launcher's staleness check" "$check"
printf '%-58s %6.3f\n' "transmission-show" "$ts"
printf '%-58s %6.3f\n' "aria2c -S" "$ar"
printf 'now/before: %.2f   jtorrent/transmission-show: %.1f\n' "$(echo "$launcher / $old" | bc -l)" "$(echo "$launcher / $ts" | bc -l)"
