#!/usr/bin/env bash
# One seeder and one leecher on 127.0.0.1, a single-file torrent, data in the page cache:
# jtorrent -> jtorrent against libtorrent -> libtorrent (python3-libtorrent), in the same run.
# Prints MB/s, CPU seconds per GiB on each side and the leecher's peak RSS, and the ratios.
#   [TRANSPORT=tcp|utp] [ENCRYPTION=plaintext|rc4] [SEED_MODE=0|1] bench/transfer-vs-libtorrent.sh [SIZE_MIB=1024] [RUNS=3]
# Both sides of both pairs speak only the named transport (uTP only: TCP off) and the named
# encryption (plaintext: jtorrent tolerated, which dials in plaintext, libtorrent encryption
# disabled; rc4: jtorrent required, libtorrent forced RC4), so that defaults never move a figure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
work="${BENCH_DIR:-$root/bench/work}"
mkdir -p "$work"
file="$work/create-${size_mib}MiB.bin"
[[ -f "$file" ]] || head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$file"
seed_dir="$work/transfer-seed"
mkdir -p "$seed_dir"
ln -f "$file" "$seed_dir/data.bin"
torrent="$work/transfer.torrent"
"$root/jtorrent" create "$seed_dir/data.bin" -o "$torrent" --piece-size 1M --force --no-date > /dev/null
cat "$file" > /dev/null
script="$root/testkit/src/main/resources/io/jtorrent/testkit/libtorrent_peer.py"
clk=$(getconf CLK_TCK)
transport="${TRANSPORT:-tcp}"
encryption="${ENCRYPTION:-plaintext}"
case "$transport" in
  tcp) jt_transport=(--no-utp); lt_env=() ;;
  utp) jt_transport=(--no-tcp); lt_env=(LT_UTP_ONLY=1) ;;
  *) echo "TRANSPORT is tcp or utp" >&2; exit 2 ;;
esac
case "$encryption" in
  plaintext) jt_transport+=(--encryption tolerated); lt_env+=(LT_ENCRYPTION=disabled) ;;
  rc4) jt_transport+=(--encryption required); lt_env+=(LT_ENCRYPTION=forced) ;;
  *) echo "ENCRYPTION is plaintext or rc4" >&2; exit 2 ;;
esac

cpu_of() { # user+system seconds of a live process
  awk -v t="$clk" '{print ($14 + $15) / t}' "/proc/$1/stat"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # the listener of the transport in use, bound
  local opt=-Hltn; [[ "$transport" == utp ]] && opt=-Hlun
  for _ in $(seq 100); do ss "$opt" "sport = :$1" | grep -q . && return 0; sleep 0.1; done; return 1
}

# one run: prints "seconds leech_cpu seed_cpu leech_rss_kib"
run_jtorrent() {
  local sp lp leech seed_pid start end
  sp=$(free_port); lp=$(free_port)
  leech="$work/transfer-leech-jt"; rm -rf "$leech"; mkdir -p "$leech"
  # no resume data: the seeder hashes its data at every run, as libtorrent's seed_mode hashes each
  # piece the first time it serves it (both seeders' CPU figures include one hash of the data).
  # SEED_MODE=1: jtorrent's seed mode too (`seed --seed-mode`: each piece hashed before its first
  # upload), no head start; at 1 GiB 0.6 s slower (SHA-1 warms up inside the timing), at 4 GiB even
  rm -rf "$work/state-seed"
  local mode=(); [[ "${SEED_MODE:-0}" == 1 ]] && mode=(--seed-mode)
  "$root/jtorrent" seed "$torrent" -d "$seed_dir" --port "$sp" --bind 127.0.0.1 --no-dht "${jt_transport[@]}" "${mode[@]}" \
      --state-dir "$work/state-seed" > /dev/null 2>&1 &
  seed_pid=$!
  wait_port "$sp"
  [[ "${SEED_MODE:-0}" == 1 ]] || sleep 1 # the seeder checks its data before it serves
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/time.out" "$root/jtorrent" download "$torrent" -d "$leech" --port "$lp" \
      --bind 127.0.0.1 --no-dht "${jt_transport[@]}" --peer "127.0.0.1:$sp" > /dev/null 2>&1
  end=$(date +%s.%N)
  local seed_cpu; seed_cpu=$(cpu_of "$seed_pid")
  kill "$seed_pid"; wait "$seed_pid" 2>/dev/null || true
  cmp -s "$file" "$leech/data.bin" || { echo "jtorrent: data differs" >&2; exit 1; }
  read -r u s m < "$work/time.out"
  echo "$(echo "$end - $start" | bc -l) $(echo "$u + $s" | bc -l) $seed_cpu $m"
}

run_libtorrent() {
  local sp lp leech seed_pid start end
  sp=$(free_port); lp=$(free_port)
  leech="$work/transfer-leech-lt"; rm -rf "$leech"; mkdir -p "$leech"
  env "${lt_env[@]}" /usr/bin/python3 -u "$script" seed "$torrent" "$seed_dir" "$sp" 600 > /dev/null 2>&1 &
  seed_pid=$!
  wait_port "$sp"
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/time.out" env "${lt_env[@]}" /usr/bin/python3 -u "$script" leech-exit "$torrent" "$leech" "$lp" 600 \
      "127.0.0.1:$sp" > /dev/null 2>&1
  end=$(date +%s.%N)
  local seed_cpu; seed_cpu=$(cpu_of "$seed_pid")
  kill "$seed_pid"; wait "$seed_pid" 2>/dev/null || true
  cmp -s "$file" "$leech/data.bin" || { echo "libtorrent: data differs" >&2; exit 1; }
  read -r u s m < "$work/time.out"
  echo "$(echo "$end - $start" | bc -l) $(echo "$u + $s" | bc -l) $seed_cpu $m"
}

median_row() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }
for ((i = 0; i < runs; i++)); do run_jtorrent; done > "$work/jt.runs"
for ((i = 0; i < runs; i++)); do run_libtorrent; done > "$work/lt.runs"
read -r jt_s jt_lcpu jt_scpu jt_rss < <(median_row < "$work/jt.runs")
read -r lt_s lt_lcpu lt_scpu lt_rss < <(median_row < "$work/lt.runs")
gib=$(echo "$size_mib / 1024" | bc -l)
mbps() { echo "$size_mib * 1.048576 / $1" | bc -l; }
printf '%d MiB, 1 MiB pieces, loopback, page cache, %s, %s; median of %d runs (by time)\n' "$size_mib" "$transport" "$encryption" "$runs"
printf '%-26s %7s %9s %14s %14s %12s\n' "pair" "seconds" "MB/s" "leech CPU-s/GiB" "seed CPU-s/GiB" "leech RSS"
printf '%-26s %7.2f %9.0f %14.2f %14.2f %9d MiB\n' "jtorrent -> jtorrent" "$jt_s" "$(mbps "$jt_s")" \
  "$(echo "$jt_lcpu / $gib" | bc -l)" "$(echo "$jt_scpu / $gib" | bc -l)" "$((jt_rss / 1024))"
printf '%-26s %7.2f %9.0f %14.2f %14.2f %9d MiB\n' "libtorrent -> libtorrent" "$lt_s" "$(mbps "$lt_s")" \
  "$(echo "$lt_lcpu / $gib" | bc -l)" "$(echo "$lt_scpu / $gib" | bc -l)" "$((lt_rss / 1024))"
printf 'throughput jtorrent/libtorrent: %.2f\n' "$(echo "$lt_s / $jt_s" | bc -l)"
printf 'CPU per GiB (both sides) jtorrent/libtorrent: %.2f\n' "$(echo "($jt_lcpu + $jt_scpu) / ($lt_lcpu + $lt_scpu)" | bc -l)"
echo "(libtorrent's RSS includes its memory-mapped file pages; jtorrent's is the JVM's whole RSS)"
