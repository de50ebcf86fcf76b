#!/usr/bin/env bash
# How fast a peer is found through the DHT alone (no tracker, no --peer), on 127.0.0.1, against
# libtorrent in the same run. One DHT node (`jtorrent dht`) is everybody's only bootstrap node; a
# seeder joins through it and is given SETTLE seconds to announce; then a leecher starts, joins
# through it too, and must find the seeder by a get_peers lookup:
#   - first peer: the leecher's start to its download's end (the data is 256 KiB, so that the
#     transfer itself is a few milliseconds: this is the time to the first peer, start-up included);
#   - metadata: the same with a magnet link (info-hash only), to the moment the info dictionary
#     arrived (jtorrent: its --save-torrent file appears; libtorrent: its state leaves
#     downloading_metadata); jtorrent fetches from a libtorrent seeder and libtorrent from a jtorrent
#     seeder, so each side's figure includes the other's answers.
# Transport and encryption pinned (TCP, plaintext) on both sides. Prints medians and ratios.
# MODE=tracker: the same through a tracker instead (`jtorrent tracker` on 127.0.0.1, the torrent's
# announce URL and the magnet's tr=; the DHT off everywhere).
#   [MODE=dht|tracker] bench/dht-first-peer.sh [RUNS=3] [SETTLE=5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
settle="${2:-5}"
mode="${MODE:-dht}"
[[ "$mode" == dht || "$mode" == tracker ]] || { echo "MODE is dht or tracker" >&2; exit 2; }
work="${BENCH_DIR:-$root/bench/work}/dht-first-peer"
rm -rf "$work"; mkdir -p "$work/seed"
head -c $((256 * 1024)) /dev/urandom > "$work/seed/data.bin"
script="$root/testkit/src/main/resources/io/jtorrent/testkit/libtorrent_peer.py"
jt_pins=(--no-utp --encryption tolerated --bind 127.0.0.1)
lt_pins=(LT_ENCRYPTION=disabled)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
udp_bound() { for _ in $(seq 100); do ss -Hlun "sport = :$1" | grep -q . && return 0; sleep 0.1; done; return 1; }
now() { date +%s.%N; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT

torrent="$work/t.torrent"
if [[ "$mode" == dht ]]; then
  dp=$(free_port)
  "$root/jtorrent" dht --port "$dp" --bind 127.0.0.1 > "$work/dht.log" 2>&1 &
  pids+=($!)
  udp_bound "$dp"
  boot="127.0.0.1:$dp"
  "$root/jtorrent" create "$work/seed/data.bin" -o "$torrent" --piece-size 16K --force --no-date > /dev/null
  find_peers() { echo --dht-port "$1" --dht-bootstrap "$boot"; } # a jtorrent's options for its port
  lt_pins+=(LT_DHT_BOOTSTRAP="$boot")
  tr_param=""
else
  tp=$(free_port)
  "$root/jtorrent" tracker --http-port "$tp" --udp-port -1 --bind 127.0.0.1 --interval 60 > "$work/tracker.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do ss -Hltn "sport = :$tp" | grep -q . && break; sleep 0.1; done
  announce="http://127.0.0.1:$tp/announce"
  "$root/jtorrent" create "$work/seed/data.bin" -o "$torrent" --piece-size 16K --force --no-date -t "$announce" > /dev/null
  find_peers() { echo --no-dht; }
  tr_param="&tr=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$announce")"
fi
hash=$("$root/jtorrent" info "$torrent" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["infoHash"])')
magnet="magnet:?xt=urn:btih:$hash$tr_param"

start_jt_seed() { # port
  # shellcheck disable=SC2046 # find_peers prints options
  "$root/jtorrent" seed "$torrent" -d "$work/seed" --port "$1" $(find_peers "$1") "${jt_pins[@]}" \
      --state-dir "$work/jt-seed-state" > "$work/jt-seed.log" 2>&1 &
  seed_pid=$!; pids+=("$seed_pid")
}
start_lt_seed() { # port
  env "${lt_pins[@]}" /usr/bin/python3 -u "$script" seed "$torrent" "$work/seed" "$1" 600 \
      > "$work/lt-seed.log" 2>&1 &
  seed_pid=$!; pids+=("$seed_pid")
}
stop_seed() { kill "$seed_pid" 2> /dev/null || true; wait "$seed_pid" 2> /dev/null || true; }

# jtorrent leecher: seconds to the end of the download (what = torrent) or to the metadata (what = magnet)
jt_leech() { # what
  local lp leech start
  lp=$(free_port); leech="$work/jt-leech"; rm -rf "$leech" "$work/jt-leech-state"; mkdir -p "$leech"
  local src="$torrent"; [[ "$1" == magnet ]] && src="$magnet"
  start=$(now)
  # shellcheck disable=SC2046 # find_peers prints options
  timeout 120 "$root/jtorrent" download "$src" -d "$leech" --port "$lp" $(find_peers "$lp") \
      "${jt_pins[@]}" --state-dir "$work/jt-leech-state" --save-torrent "$work/fetched.torrent" > "$work/jt-leech.log" 2>&1 &
  local pid=$!
  if [[ "$1" == magnet ]]; then
    rm -f "$work/fetched.torrent"
    for _ in $(seq 6000); do [[ -s "$work/fetched.torrent" ]] && break; sleep 0.02; done
    echo "$(now) - $start" | bc -l
    kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true
  else
    wait "$pid"
    echo "$(now) - $start" | bc -l
    cmp -s "$work/seed/data.bin" "$leech/data.bin" || { echo "jtorrent: data differs" >&2; exit 1; }
  fi
}

lt_leech() { # what
  local lp leech start line
  lp=$(free_port); leech="$work/lt-leech"; rm -rf "$leech"; mkdir -p "$leech"
  local src="$torrent"; [[ "$1" == magnet ]] && src="$magnet"
  start=$(now)
  coproc LT { exec env "${lt_pins[@]}" timeout 120 /usr/bin/python3 -u "$script" leech-exit "$src" \
      "$leech" "$lp" 120 2>&1; }
  local pid=$LT_PID
  while IFS= read -r line <&"${LT[0]}"; do
    if [[ "$1" == magnet && "$line" == progress* && "$line" != *downloading_metadata* ]]; then break; fi
    if [[ "$1" != magnet && "$line" == finished ]]; then break; fi
  done
  echo "$(now) - $start" | bc -l
  kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true
  if [[ "$1" != magnet ]]; then
    cmp -s "$work/seed/data.bin" "$leech/data.bin" || { echo "libtorrent: data differs" >&2; exit 1; }
  fi
}

median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }
: > "$work/jt-first.runs"; : > "$work/lt-first.runs"; : > "$work/jt-meta.runs"; : > "$work/lt-meta.runs"
for ((i = 0; i < runs; i++)); do
  sp=$(free_port)
  start_jt_seed "$sp"; sleep "$settle"
  jt_leech torrent >> "$work/jt-first.runs"
  lt_leech magnet >> "$work/lt-meta.runs"   # libtorrent fetching the magnet from jtorrent
  stop_seed
  sp=$(free_port)
  start_lt_seed "$sp"; sleep "$settle"
  lt_leech torrent >> "$work/lt-first.runs"
  jt_leech magnet >> "$work/jt-meta.runs"   # jtorrent fetching the magnet from libtorrent
  stop_seed
done
jt_first=$(median < "$work/jt-first.runs"); lt_first=$(median < "$work/lt-first.runs")
jt_meta=$(median < "$work/jt-meta.runs"); lt_meta=$(median < "$work/lt-meta.runs")
if [[ "$mode" == dht ]]; then
  printf 'DHT only, one bootstrap node on 127.0.0.1, seeder announced %s s before; median of %d runs\n' "$settle" "$runs"
else
  printf 'tracker only (jtorrent tracker on 127.0.0.1, DHT off), seeder announced %s s before; median of %d runs\n' "$settle" "$runs"
fi
printf '%-44s %8s\n' "what" "seconds"
printf '%-44s %8.2f\n' "jtorrent: first peer (download of 256 KiB)" "$jt_first"
printf '%-44s %8.2f\n' "libtorrent: first peer (download of 256 KiB)" "$lt_first"
printf '%-44s %8.2f\n' "jtorrent: magnet metadata from libtorrent" "$jt_meta"
printf '%-44s %8.2f\n' "libtorrent: magnet metadata from jtorrent" "$lt_meta"
printf 'first peer jtorrent/libtorrent (time): %.2f\n' "$(echo "$jt_first / $lt_first" | bc -l)"
printf 'metadata jtorrent/libtorrent (time): %.2f\n' "$(echo "$jt_meta / $lt_meta" | bc -l)"
echo "(times include each program's start: the JVM's for jtorrent, Python's and libtorrent's for libtorrent)"
