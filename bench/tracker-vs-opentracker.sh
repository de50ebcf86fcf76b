#!/usr/bin/env bash
# Announce throughput and latency of `./jtorrent tracker` against opentracker, in the same run:
# HTTP with wrk (bench/announce.lua: compact announces, random peer ids over a pool of info-hashes
# that opentracker whitelists) and UDP with bench's UdpAnnounceLoad. Prints requests/s, p99 and the
# ratios. Both trackers on 127.0.0.1, stopped by PID.
#   bench/tracker-vs-opentracker.sh [SECONDS=10] [HASHES=1000]
# WARMUP=S (default 3): seconds of the same load sent to each tracker before its measured run
# (the JIT's compilations, and the swarms filling, happen there).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-10}"
nhashes="${2:-1000}"
work="${BENCH_DIR:-$root/bench/work}/tracker"
rm -rf "$work"; mkdir -p "$work"
command -v wrk > /dev/null && command -v opentracker > /dev/null || { echo "needs wrk and opentracker (apt-get install -y wrk opentracker)" >&2; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

python3 -c "import os; print('\n'.join(os.urandom(20).hex() for _ in range($nhashes)))" > "$work/hashes.txt"
cp "$work/hashes.txt" "$work/whitelist.txt"
ot_port=$(free_port); jt_port=$(free_port)
printf 'listen.tcp 127.0.0.1:%d\nlisten.udp 127.0.0.1:%d\naccess.whitelist whitelist.txt\ntracker.rootdir %s\n' \
  "$ot_port" "$ot_port" "$work" > "$work/opentracker.conf"
opentracker -f "$work/opentracker.conf" > "$work/opentracker.log" 2>&1 &
ot_pid=$!
"$root/jtorrent" --version > /dev/null
# shellcheck disable=SC2086 # JT_TRACKER_OPTS: extra options for ./jtorrent tracker, split on spaces
"$root/jtorrent" tracker --http-port "$jt_port" --udp-port "$jt_port" --bind 127.0.0.1 ${JT_TRACKER_OPTS:-} > "$work/jtorrent.log" 2>&1 &
jt_pid=$!
trap 'kill $ot_pid $jt_pid 2>/dev/null || true' EXIT
wait_port "$ot_port"; wait_port "$jt_port"

mvn -q -B -o -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt > /dev/null
cp="$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")"

http() { # PORT SECONDS -> "requests_per_s p99_ms"
  HASHES="$work/hashes.txt" wrk -t2 -c64 -d"$2"s --latency -s "$root/bench/announce.lua" "http://127.0.0.1:$1/announce" > "$work/wrk.out"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$work/wrk.out")
  echo "$rps $p99"
}
udp() { java -cp "$cp" io.jtorrent.bench.UdpAnnounceLoad 127.0.0.1 "$1" "$2" 32 "$work/hashes.txt" | awk '{print $3, $7}'; }

# CPU time a tracker spent in a measured run, per request: both share the two cores with the load,
# so the rate measures the load as much as the tracker; this is the tracker's own cost
tick_us=$((1000000 / $(getconf CLK_TCK)))
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
per_request_us() { echo "($2 - $1) * $tick_us / ($3 * $seconds)" | bc -l; } # TICKS_BEFORE TICKS_AFTER RATE
measure() { # http|udp PORT PID -> "rate p99 cpu_us_per_request"
  local before after rate p99
  before=$(cpu_ticks "$3")
  read -r rate p99 < <("$1" "$2" "$seconds")
  after=$(cpu_ticks "$3")
  echo "$rate $p99 $(per_request_us "$before" "$after" "$rate")"
}

warmup="${WARMUP:-3}"
http "$jt_port" "$warmup" > /dev/null; http "$ot_port" "$warmup" > /dev/null   # warm-up (the JIT, caches)
read -r jt_rps jt_p99 jt_cpu < <(measure http "$jt_port" "$jt_pid")
read -r ot_rps ot_p99 ot_cpu < <(measure http "$ot_port" "$ot_pid")
udp "$jt_port" "$warmup" > /dev/null; udp "$ot_port" "$warmup" > /dev/null
read -r jt_udp jt_udp99 jt_ucpu < <(measure udp "$jt_port" "$jt_pid")
read -r ot_udp ot_udp99 ot_ucpu < <(measure udp "$ot_port" "$ot_pid")
jt_rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$jt_pid/status")

printf 'HTTP announces, wrk -t2 -c64 -d%ss after %ss of warm-up, %d info-hashes, random peer ids\n' "$seconds" "$warmup" "$nhashes"
printf '  %-14s %10.0f req/s   p99 %7.2f ms   tracker CPU %5.1f us/request\n' "jtorrent" "$jt_rps" "$jt_p99" "$jt_cpu"
printf '  %-14s %10.0f req/s   p99 %7.2f ms   tracker CPU %5.1f us/request\n' "opentracker" "$ot_rps" "$ot_p99" "$ot_cpu"
printf '  ratio jtorrent/opentracker: %.2f (CPU per request %.2f)\n' "$(echo "$jt_rps / $ot_rps" | bc -l)" "$(echo "$jt_cpu / $ot_cpu" | bc -l)"
printf 'UDP announces, 32 clients in a closed loop (one thread per core), %ss\n' "$seconds"
printf '  %-14s %10.0f ann/s   p99 %7.2f ms   tracker CPU %5.1f us/announce\n' "jtorrent" "$jt_udp" "$jt_udp99" "$jt_ucpu"
printf '  %-14s %10.0f ann/s   p99 %7.2f ms   tracker CPU %5.1f us/announce\n' "opentracker" "$ot_udp" "$ot_udp99" "$ot_ucpu"
printf '  ratio jtorrent/opentracker: %.2f (CPU per announce %.2f)\n' "$(echo "$jt_udp / $ot_udp" | bc -l)" "$(echo "$jt_ucpu / $ot_ucpu" | bc -l)"
printf 'jtorrent tracker RSS after the run: %d MiB\n' "$jt_rss"
