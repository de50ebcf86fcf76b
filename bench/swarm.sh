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
java -XX:+UseSerialGC -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.jtorrent.bench.SwarmBenchmark --out bench/results "$@"
/usr/bin/time -f "peak_rss_kib=%M cpu_user_s=%U cpu_sys_s=%S wall_s=%e" -o bench/results/n64.txt \
  java -XX:+UseSerialGC -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.jtorrent.bench.SwarmBenchmark --out "$(mktemp -d)" --peers 64 --scenarios false > /dev/null
cat bench/results/n64.txt
