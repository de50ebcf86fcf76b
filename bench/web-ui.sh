#!/usr/bin/env bash
# The web UI with 1,000 torrents in headless Chromium: how fast ours and Transmission's own web
# client (Debian's transmission-daemon ships it; both served by our daemon) sort and filter the
# same list, timed in the page, median of RUNS; prints the ratios jtorrent / Transmission.
#   bench/web-ui.sh [RUNS=15]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-15}"
mvn -q -B -DskipTests install -pl daemon -am > /dev/null
mkdir -p bench/results
{ echo "# bench/web-ui.sh $runs   ($(date -u +%F), $(nproc) cores, $(chromium --version 2>/dev/null | head -1))"
(cd daemon && mvn -q -B test -Dtest=WebUiBenchmark -Djtorrent.bench=true -Djtorrent.bench.runs="$runs" \
    -Dsurefire.failIfNoSpecifiedTests=false) | sed 's/\x1b\[[0-9;]*m//g' | grep -v '^\[' | grep -E 'torrents|operation|sort|filter'; } | tee bench/results/web-ui.txt
