#!/usr/bin/env bash
# DHT figures: lookups in a simulated network and the CPU one node spends per query.
#   bench/dht.sh [NODES=500] [LOOKUPS=200] [QUERIES=200000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -q -B -DskipTests install
mvn -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jtorrent.bench.DhtBenchmark "$@"
