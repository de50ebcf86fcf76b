#!/usr/bin/env bash
# The simulation's figures (jtorrent simulate: the real engine on a simulated network, virtual time):
#  1. wall time, CPU seconds and peak RSS of `jtorrent simulate` at N = 100 and 1,000 (and 5,000 with FULL=1);
#  2. completion time against N = 10 ... 1,000 beside the bound T* and client-server, and the
#     free-rider penalty at N = 100 and 1,000 over three seeds (SimBenchmark: simulate-n.csv,
#     simulate-free-riders.csv, simulate.svg);
#  3. the validation: the real `jtorrent demo` (sessions on 127.0.0.1) against the simulation of the
#     same swarm, N = 8, 16, 32, with the ratio sim/real (bench/simulate-validation.sh, its own results file).
# Writes bench/results/simulate.txt and the files above.   bench/simulate.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=bench/results/simulate.txt
mvn -q -B -DskipTests install
{
  echo "# bench/simulate.sh, $(date -u +%F), $(nproc) cores"
  echo "## 1. jtorrent simulate --size 32M --random-seed 1 (defaults: 4 MiB/s up, 20 ms, 64 KiB pieces); then the seed super-seeding"
  sizes=(100 1000)
  [[ "${FULL:-0}" == 1 ]] && sizes+=(5000)
  for extra in "" "--super-seed"; do
    for n in "${sizes[@]}"; do
      # shellcheck disable=SC2086 # $extra is one option or none
      /usr/bin/time -f "N=$n $extra wall_s=%e cpu_user_s=%U cpu_sys_s=%S peak_rss_kib=%M" -o /tmp/simulate-time.txt \
        ./jtorrent simulate --peers "$n" --size 32M --random-seed 1 $extra 2>/dev/null | tail -1
      cat /tmp/simulate-time.txt
    done
  done
  echo "## 2. determinism: two runs with --random-seed 3 (N=100), then --random-seed 4"
  a="$(./jtorrent simulate --peers 100 --size 32M --random-seed 3 2>/dev/null | sha256sum)"
  b="$(./jtorrent simulate --peers 100 --size 32M --random-seed 3 2>/dev/null | sha256sum)"
  c="$(./jtorrent simulate --peers 100 --size 32M --random-seed 4 2>/dev/null | sha256sum)"
  echo "seed 3: ${a%% *}"; echo "seed 3: ${b%% *}"; echo "seed 4: ${c%% *}"
  [[ "$a" == "$b" && "$a" != "$c" ]] && echo "identical for the same seed, different for another: yes" || echo "DETERMINISM: NO"
  echo "## 2b. capacity classes at N = 1,000: --peer-rates 1M:50%,4M:30%,16M:20% (clustering: own-class share against the class's share of capacity)"
  ./jtorrent simulate --peers 1000 --size 32M --random-seed 1 --peer-rates 1M:50%,4M:30%,16M:20% 2>/dev/null > /tmp/simulate-classes.txt
  grep -A3 "upload classes" /tmp/simulate-classes.txt
  tail -1 /tmp/simulate-classes.txt
} | tee "$out"
echo "## 3. validation against the real demo: bench/simulate-validation.sh" | tee -a "$out"
bench/simulate-validation.sh
mvn -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java -XX:+UseParallelGC -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.jtorrent.bench.SimBenchmark \
  --out bench/results | tee -a "$out"
