#!/usr/bin/env bash
# Times `./jtorrent create` against mktorrent (same thread count, same piece size) and sha1sum on
# the same file, in the same run, and prints the ratios.
#   bench/create-vs-mktorrent.sh [SIZE_MIB=1024] [RUNS=5]
# Data is read from the page cache (each tool reads the file once before timing starts).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-5}"
threads="$(nproc)"
work="${BENCH_DIR:-$root/bench/work}"
mkdir -p "$work"
file="$work/create-${size_mib}MiB.bin"

command -v mktorrent >/dev/null || { echo "needs mktorrent (apt-get install -y mktorrent)" >&2; exit 2; }
[[ -f "$file" ]] || head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$file"
cat "$file" > /dev/null
"$root/jtorrent" --version > /dev/null # builds the jar if needed, outside the timing

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_runs() { # prints the median wall time of RUNS runs of the command
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null || { echo "failed: $*" >&2; return 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
  done > "$work/times"
  median < "$work/times"
}

mktorrent_fresh() { rm -f "$work/mk.torrent"; mktorrent "$@"; } # mktorrent will not overwrite
mk=$(time_runs mktorrent_fresh -t "$threads" -l 18 -o "$work/mk.torrent" "$file")
jt=$(time_runs "$root/jtorrent" create "$file" -o "$work/jt.torrent" --piece-size 256K --threads "$threads" --force --no-date)
sha=$(time_runs sha1sum "$file")

mib() { echo "$size_mib / $1" | bc -l; }
printf 'file: %d MiB, %d threads, 256 KiB pieces, median of %d runs\n' "$size_mib" "$threads" "$runs"
printf '%-28s %8.3f s %8.0f MiB/s\n' "mktorrent -t $threads" "$mk" "$(mib "$mk")"
printf '%-28s %8.3f s %8.0f MiB/s\n' "jtorrent create" "$jt" "$(mib "$jt")"
printf '%-28s %8.3f s %8.0f MiB/s\n' "sha1sum (1 thread)" "$sha" "$(mib "$sha")"
printf 'ratio jtorrent/mktorrent time:        %.2f (below 1 = jtorrent faster)\n' "$(echo "$jt / $mk" | bc -l)"
printf 'jtorrent vs sha1sum x %d cores:        %.0f%% of %0.f MiB/s\n' "$threads" \
  "$(echo "100 * $(mib "$jt") / ($(mib "$sha") * $threads)" | bc -l)" "$(echo "$(mib "$sha") * $threads" | bc -l)"
same=$([[ "$("$root/jtorrent" info "$work/mk.torrent" --json | grep infoHash)" == "$("$root/jtorrent" info "$work/jt.torrent" --json | grep infoHash)" ]] && echo yes || echo NO)
echo "same info-hash as mktorrent: $same"
