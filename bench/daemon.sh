#!/usr/bin/env bash
# The daemon with N seeding torrents against transmission-daemon with the same ones:
# torrent-get of every torrent with transmission-remote -l's fields (median, p90 of R requests) and RSS.
#   bench/daemon.sh [N=1000] [R=100]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -q -B -DskipTests install
mvn -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
./jtorrent --version > /dev/null 2>&1 || true   # builds the launcher's jar if it is stale
mkdir -p bench/results
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jtorrent.bench.DaemonBenchmark "$PWD/jtorrent" "$@" \
  | tee bench/results/daemon.txt
