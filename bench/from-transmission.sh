#!/usr/bin/env bash
# Downloading from a Transmission 3.00 seeder (transmission-daemon, which answers requests in
# batches every half second): `./jtorrent download` against libtorrent (python3-libtorrent) as the
# downloader, from the same seeder, in the same run, RUNS times each, on 127.0.0.1. Prints the
# median seconds (the leecher's start to its exit, data compared) and the ratio.
#   bench/from-transmission.sh [SIZE_MIB=64] [RUNS=3]
# Each run gets a fresh seeder (Transmission 3.00 took no second libtorrent leecher from the same
# address). Transmission unchokes on a 10-s round, so each run's time holds up to 10 s of waiting
# to be unchoked, for both downloaders alike. DHT, LSD, PEX, uTP and port forwarding off everywhere.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-64}"
runs="${2:-3}"
work="${BENCH_DIR:-$root/bench/work}/from-transmission"
command -v transmission-daemon > /dev/null && command -v transmission-remote > /dev/null \
  || { echo "needs transmission-daemon and transmission-cli (apt-get install -y transmission-daemon transmission-cli)" >&2; exit 2; }
rm -rf "$work"; mkdir -p "$work/seed"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/seed/data.bin"
torrent="$work/t.torrent"
"$root/jtorrent" create "$work/seed/data.bin" -o "$torrent" --force --no-date > /dev/null
script="$root/testkit/src/main/resources/io/jtorrent/testkit/libtorrent_peer.py"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

tr_pid=""
start_seeder() { # a fresh transmission-daemon seeding the file, checked: sets port and tr_pid
  local rpc
  port=$(free_port); rpc=$(free_port)
  rm -rf "$work/conf"; mkdir -p "$work/conf"
  printf '%s\n' "{ \"dht-enabled\": false, \"lpd-enabled\": false, \"pex-enabled\": false, \"utp-enabled\": false,
  \"port-forwarding-enabled\": false, \"bind-address-ipv4\": \"127.0.0.1\", \"bind-address-ipv6\": \"::1\",
  \"peer-port\": $port, \"peer-port-random-on-start\": false, \"rpc-enabled\": true, \"rpc-bind-address\": \"127.0.0.1\",
  \"rpc-port\": $rpc, \"rpc-whitelist-enabled\": false, \"rpc-authentication-required\": false,
  \"rpc-host-whitelist-enabled\": false, \"encryption\": 0, \"download-dir\": \"$work/seed\", \"incomplete-dir-enabled\": false,
  \"ratio-limit-enabled\": false, \"idle-seeding-limit-enabled\": false, \"speed-limit-up-enabled\": false,
  \"speed-limit-down-enabled\": false, \"message-level\": 1, \"start-added-torrents\": true }" > "$work/conf/settings.json"
  transmission-daemon -f -g "$work/conf" > "$work/transmission.log" 2>&1 &
  tr_pid=$!
  for _ in $(seq 100); do
    transmission-remote "127.0.0.1:$rpc" -a "$torrent" -w "$work/seed" 2> /dev/null | grep -q success && break
    sleep 0.2
  done
  for _ in $(seq 300); do # checked and seeding
    transmission-remote "127.0.0.1:$rpc" -l 2> /dev/null | grep -q "100%.*\(Seeding\|Idle\)" && break
    sleep 0.2
  done
}
stop_seeder() {
  if [[ -n "$tr_pid" ]]; then
    kill "$tr_pid" 2> /dev/null || true
    wait "$tr_pid" 2> /dev/null || true
  fi
  tr_pid=""
}
trap stop_seeder EXIT

once() { # COMMAND... (LEECH and PORT stand for the directory and the seeder's port) -> seconds
  local leech="$work/leech" start end args
  rm -rf "$leech"; mkdir -p "$leech"
  trap stop_seeder EXIT # runs in a command substitution's subshell, which has no traps of its own
  start_seeder
  args=("${@//LEECH/$leech}")
  args=("${args[@]//PORT/$port}")
  start=$(date +%s.%N)
  timeout 300 "${args[@]}" > "$work/leech.log" 2>&1 || { echo "failed: ${args[*]} (see $work/leech.log)" >&2; exit 1; }
  end=$(date +%s.%N)
  stop_seeder
  cmp -s "$work/seed/data.bin" "$leech/data.bin" || { echo "data differs: ${args[*]}" >&2; exit 1; }
  echo "$end - $start" | bc -l
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
jt=$(for _ in $(seq "$runs"); do
  once "$root/jtorrent" download "$torrent" -d LEECH --port 0 --bind 127.0.0.1 --no-dht --peer 127.0.0.1:PORT
done | tee "$work/jt.times" | median)
lt=$(for _ in $(seq "$runs"); do
  once /usr/bin/python3 -u "$script" leech-exit "$torrent" LEECH "$(free_port)" 300 127.0.0.1:PORT
done | tee "$work/lt.times" | median)

printf 'from transmission-daemon %s, %d MiB on 127.0.0.1, median of %d runs\n' \
  "$(transmission-daemon --version 2>&1 | head -1 | awk '{print $2}')" "$size_mib" "$runs"
printf '  %-20s %7.1f s   runs: %s\n' "jtorrent download" "$jt" "$(xargs printf '%.1f ' < "$work/jt.times")"
printf '  %-20s %7.1f s   runs: %s\n' "libtorrent" "$lt" "$(xargs printf '%.1f ' < "$work/lt.times")"
printf 'ratio jtorrent/libtorrent time: %.2f (below 1 = jtorrent faster)\n' "$(echo "$jt / $lt" | bc -l)"
