#!/usr/bin/env bash
# Times `./jtorrent create --v2` and `--hybrid` against libtorrent's create_torrent (v2-only and
# hybrid, python3-libtorrent) and `create` (v1) against mktorrent, on the same data in the same
# run, and prints the ratios. Checks that both tools give the same info-hashes.
#   bench/create-v2.sh [SIZE_MIB=1024] [RUNS=3]
# Data: a directory of four files (SIZE/4 MiB and odd tails, so v2's pads are exercised), read
# from the page cache (read once before timing starts). 256 KiB pieces for every tool.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
threads="$(nproc)"
work="${BENCH_DIR:-$root/bench/work}"
dir="$work/create-v2-${size_mib}MiB"
lt_create="$root/testkit/src/main/resources/io/jtorrent/testkit/libtorrent_create.py"

command -v mktorrent >/dev/null || { echo "needs mktorrent (apt-get install -y mktorrent)" >&2; exit 2; }
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || { echo "needs python3-libtorrent" >&2; exit 2; }
if [[ ! -d "$dir" ]]; then
  mkdir -p "$dir"
  quarter=$((size_mib * 1024 * 1024 / 4))
  for i in 1 2 3 4; do head -c "$((quarter - i * 12345))" /dev/urandom > "$dir/part$i.bin"; done
fi
cat "$dir"/* > /dev/null
"$root/jtorrent" --version > /dev/null # builds the jar if needed, outside the timing

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_runs() { # prints the median wall time of RUNS runs of the command
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" > "$work/out" || { echo "failed: $*" >&2; return 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
  done > "$work/times"
  median < "$work/times"
}
mktorrent_fresh() { rm -f "$work/mk.torrent"; mktorrent "$@"; } # mktorrent will not overwrite

jt_v2=$(time_runs "$root/jtorrent" create --v2 "$dir" -o "$work/jt-v2.torrent" --piece-size 256K --force --no-date)
lt_v2=$(time_runs /usr/bin/python3 "$lt_create" "$dir" v2 262144 "$work/lt-v2.torrent")
lt_v2_hash=$(cut -d' ' -f2 < "$work/out")
jt_hy=$(time_runs "$root/jtorrent" create --hybrid "$dir" -o "$work/jt-hy.torrent" --piece-size 256K --force --no-date)
lt_hy=$(time_runs /usr/bin/python3 "$lt_create" "$dir" hybrid 262144 "$work/lt-hy.torrent")
lt_hy_hashes=$(cat "$work/out")
jt_v1=$(time_runs "$root/jtorrent" create "$dir" -o "$work/jt-v1.torrent" --piece-size 256K --force --no-date)
mk_v1=$(time_runs mktorrent_fresh -t "$threads" -l 18 -o "$work/mk.torrent" "$dir")

field() { "$root/jtorrent" info "$1" --json | sed -n "s/.*\"$2\" : \"\\([0-9a-f]*\\)\".*/\\1/p"; }
printf 'data: %d MiB in 4 files, 256 KiB pieces, %d cores, median of %d runs\n' "$size_mib" "$threads" "$runs"
printf '%-34s %8.3f s %8.0f MiB/s\n' "jtorrent create --v2" "$jt_v2" "$(echo "$size_mib / $jt_v2" | bc -l)"
printf '%-34s %8.3f s %8.0f MiB/s\n' "libtorrent create_torrent v2" "$lt_v2" "$(echo "$size_mib / $lt_v2" | bc -l)"
printf '%-34s %8.3f s %8.0f MiB/s\n' "jtorrent create --hybrid" "$jt_hy" "$(echo "$size_mib / $jt_hy" | bc -l)"
printf '%-34s %8.3f s %8.0f MiB/s\n' "libtorrent create_torrent hybrid" "$lt_hy" "$(echo "$size_mib / $lt_hy" | bc -l)"
printf '%-34s %8.3f s %8.0f MiB/s\n' "jtorrent create (v1)" "$jt_v1" "$(echo "$size_mib / $jt_v1" | bc -l)"
printf '%-34s %8.3f s %8.0f MiB/s\n' "mktorrent -t $threads (v1)" "$mk_v1" "$(echo "$size_mib / $mk_v1" | bc -l)"
printf 'ratio jtorrent/libtorrent time, v2:     %.2f (below 1 = jtorrent faster)\n' "$(echo "$jt_v2 / $lt_v2" | bc -l)"
printf 'ratio jtorrent/libtorrent time, hybrid: %.2f\n' "$(echo "$jt_hy / $lt_hy" | bc -l)"
printf 'ratio jtorrent/mktorrent time, v1:      %.2f\n' "$(echo "$jt_v1 / $mk_v1" | bc -l)"
same_v2=$([[ "$(field "$work/jt-v2.torrent" infoHashV2)" == "$lt_v2_hash" ]] && echo yes || echo NO)
same_hy=$([[ "$(field "$work/jt-hy.torrent" infoHash) $(field "$work/jt-hy.torrent" infoHashV2)" == "$lt_hy_hashes" ]] && echo yes || echo NO)
echo "same v2 info-hash as libtorrent: $same_v2; same hybrid v1 and v2 info-hashes: $same_hy"
