#!/usr/bin/env bash
# Soak: one seeder on 127.0.0.1 under attack while an honest leecher (from 127.0.0.2) downloads.
# The attack (io.jtorrent.bench.SoakAttack, from 127.0.0.1): 1,000 attempted peer connections in 8 s
# (handshake + garbage, a 2 GiB message length, or connect-and-go), 200 idle sockets held open,
# 4 request flooders that never read. Each seeder — jtorrent, and libtorrent (python3-libtorrent)
# as the reference — serves the same torrent twice: unloaded, then under attack; the leecher is
# jtorrent both times. Prints the leecher's time and MB/s, the loaded/unloaded throughput ratio
# (goal for jtorrent: at least 0.5) and the seeder's peak RSS (VmHWM; RssAnon high-water for
# libtorrent is not kept by the kernel, so its VmHWM includes mapped file pages).
#   bench/soak.sh [SIZE_MIB=256]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-256}"
work="${BENCH_DIR:-$root/bench/work}"
mkdir -p "$work"
cd "$root"
mvn -q -B -DskipTests install
mvn -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
./jtorrent --version > /dev/null 2>&1 || true # builds the launcher's jar if it is stale

file="$work/create-${size_mib}MiB.bin"
[[ -f "$file" ]] || head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$file"
seed_dir="$work/soak-seed"
mkdir -p "$seed_dir"
ln -f "$file" "$seed_dir/data.bin"
torrent="$work/soak.torrent"
./jtorrent create "$seed_dir/data.bin" -o "$torrent" --piece-size 1M --force --no-date > /dev/null
hash=$(./jtorrent info "$torrent" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["infoHash"])')
pieces=$(./jtorrent info "$torrent" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pieceCount"])')
cat "$file" > /dev/null
script="$root/testkit/src/main/resources/io/jtorrent/testkit/libtorrent_peer.py"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# one run: SEEDER (jtorrent|libtorrent) ATTACK (0|1); prints "seconds seeder_peak_rss_kib attack-line"
run() {
  local who="$1" attack="$2" sp lp leech seed_pid attack_pid start end peak line=""
  sp=$(free_port); lp=$(free_port)
  leech="$work/soak-leech"; rm -rf "$leech"; mkdir -p "$leech"
  if [[ "$who" == jtorrent ]]; then
    rm -rf "$work/soak-state" # every run checks its data afresh; the leecher starts once it is seeding
    timeout 600 ./jtorrent seed "$torrent" -d "$seed_dir" --port "$sp" --bind 127.0.0.1 --no-dht --encryption tolerated --no-utp --state-dir "$work/soak-state" \
        --json-progress > "$work/soak-seed.log" 2>&1 &
  else
    timeout 600 /usr/bin/python3 -u "$script" seed "$torrent" "$seed_dir" "$sp" 600 > "$work/soak-seed.log" 2>&1 &
  fi
  seed_pid=$!
  wait_port "$sp"
  if [[ "$who" == jtorrent ]]; then
    for _ in $(seq 600); do grep -q '"state":"seeding"' "$work/soak-seed.log" && break; sleep 0.1; done
  else
    sleep 2 # libtorrent's seed mode serves at once
  fi
  if [[ "$attack" == 1 ]]; then
    java -cp "$cp" io.jtorrent.bench.SoakAttack "$sp" "$hash" 120 1000 200 4 "$pieces" > "$work/soak-attack.out" 2>&1 &
    attack_pid=$!
    sleep 5 # the floods are under way before the honest peer arrives
  fi
  start=$(date +%s.%N)
  timeout 300 ./jtorrent download "$torrent" -d "$leech" --port "$lp" --bind 127.0.0.2 --no-dht --encryption tolerated --no-utp --peer "127.0.0.1:$sp" \
      > /dev/null 2>&1 || echo "leecher failed against $who (attack=$attack)" >&2
  end=$(date +%s.%N)
  peak=$(awk '/VmHWM/ {print $2}' "/proc/$(pgrep -P "$seed_pid" -n 2>/dev/null || echo "$seed_pid")/status" 2>/dev/null || echo 0)
  if [[ "$attack" == 1 ]]; then
    kill "$attack_pid" 2>/dev/null || true
    wait "$attack_pid" 2>/dev/null || true
    line=$(tail -1 "$work/soak-attack.out")
  fi
  kill "$seed_pid" 2>/dev/null || true
  wait "$seed_pid" 2>/dev/null || true
  cmp -s "$file" "$leech/data.bin" || echo "data differs ($who, attack=$attack)" >&2
  echo "$(echo "$end - $start" | bc -l) $peak $line"
}

mbps() { echo "$size_mib * 1.048576 / $1" | bc -l; }
printf '%d MiB, 1 MiB pieces, loopback, page cache; honest leecher: jtorrent from 127.0.0.2\n' "$size_mib"
printf '%-11s %-9s %8s %8s %14s  %s\n' "seeder" "load" "seconds" "MB/s" "seeder peak" "attack"
for who in jtorrent libtorrent; do
  read -r s0 rss0 _ < <(run "$who" 0)
  read -r s1 rss1 rest < <(run "$who" 1)
  printf '%-11s %-9s %8.2f %8.0f %10d MiB\n' "$who" "unloaded" "$s0" "$(mbps "$s0")" "$((rss0 / 1024))"
  printf '%-11s %-9s %8.2f %8.0f %10d MiB  %s\n' "$who" "attacked" "$s1" "$(mbps "$s1")" "$((rss1 / 1024))" "$rest"
  printf '%s: attacked/unloaded throughput %.2f\n' "$who" "$(echo "$s0 / $s1" | bc -l)"
done
