#!/usr/bin/env bash
# The swarm benchmark: N = 1..64 leechers and one seed in one process on 127.0.0.1, against the
# lower bound T* and client-server, then the robustness scenarios; then N = 64 alone for its peak
# RSS and CPU seconds. Writes bench/results/swarm.csv, scenarios.csv, swarm.svg and n64.txt.
#   bench/swarm.sh [extra SwarmBenchmark options, e.g. --peers 1,2,4 --size-mib 16]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests install
mvn -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
# The data path's settings, as ./jtorrent gives `download` and `seed`: the newest JDK installed,
# Netty's native epoll transport, hot methods inlined up to 50 bytecodes (N = 64, 3 runs each,
# alternating: ratio 2.00/2.09/2.44 and 68-82 CPU-s against 2.39/2.68/2.91 and 84-102 with JDK 17,
# NIO and the default inlining; bench/results/n64.txt)
java_bin=java best=0
for c in ${JTORRENT_JAVA:-/usr/lib/jvm/*/bin/java}; do
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${c%/bin/java}/release" 2>/dev/null || true)
  if [[ -x "$c" && "$v" =~ ^[0-9]+$ ]] && ((v > best)); then java_bin=$c best=$v; fi
done
jvm=(-XX:+UseSerialGC -Xmx2g -XX:FreqInlineSize=50 -Djtorrent.transport=epoll -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
((best >= 23)) && jvm+=(--sun-misc-unsafe-memory-access=allow)
((best >= 22)) && jvm+=(--enable-native-access=ALL-UNNAMED)
echo "java: $java_bin (${best})"
"$java_bin" "${jvm[@]}" -cp "$cp" io.jtorrent.bench.SwarmBenchmark --out bench/results "$@"
/usr/bin/time -f "peak_rss_kib=%M cpu_user_s=%U cpu_sys_s=%S wall_s=%e" -o bench/results/n64.txt \
  "$java_bin" "${jvm[@]}" -cp "$cp" io.jtorrent.bench.SwarmBenchmark --out "$(mktemp -d)" --peers 64 --scenarios false > /dev/null
cat bench/results/n64.txt
