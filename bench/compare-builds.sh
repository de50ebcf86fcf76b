#!/usr/bin/env bash
# Two builds of jtorrent side by side in the same run (a refactoring must not cost speed):
# `demo` at N = 8 and N = 32 (the swarm harness: 64 MiB, every peer capped at 4 MiB/s; ratio to the
# bound and seed copies) and a 1 GiB jtorrent -> jtorrent transfer on 127.0.0.1 (seconds, CPU).
# Prints the median of RUNS for each build and the ratio new/old. The builds take turns run by run
# (old, new, old, new ...), so a slow minute of this shared machine hits both. Transfers run in
# plaintext TCP (--encryption tolerated, --no-utp, for builds that know the options). COMPARE="transfer" (or
# "demo 8", "demo 32", separated by |) runs only those.
#   bench/compare-builds.sh OLD.jar NEW.jar [RUNS=3] [SIZE_MIB=1024]
set -euo pipefail
old="$1"; new="$2"; runs="${3:-3}"; size_mib="${4:-1024}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${BENCH_DIR:-$root/bench/work}"
mkdir -p "$work"
java_opts=(-XX:+UseParallelGC -Xmx512m)
# OLD_JAVA/NEW_JAVA and OLD_OPTS/NEW_OPTS (JVM options, replacing the launcher's defaults above)
# compare JVM choices too: the same jar twice with different settings
# shellcheck disable=SC2206
old_cmd=("${OLD_JAVA:-java}" ${OLD_OPTS:-${java_opts[*]}})
# shellcheck disable=SC2206
new_cmd=("${NEW_JAVA:-java}" ${NEW_OPTS:-${java_opts[*]}})
jvm_for() { # JAR -> sets cmd to the JVM and options of that build's side
  if [[ "${build:-new}" == old ]]; then cmd=("${old_cmd[@]}"); else cmd=("${new_cmd[@]}"); fi
}
clk=$(getconf CLK_TCK)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

demo() { # JAR N -> "ratio seed_copies"
  local out
  jvm_for "$1"
  out=$(timeout 600 "${cmd[@]}" -jar "$1" demo --peers "$2" 2>/dev/null)
  echo "$(grep '^swarm complete:' <<< "$out" | sed -E 's/.*ratio=([0-9.]+).*/\1/') \
$(grep 'the seed uploaded:' <<< "$out" | sed -E 's/.*: *([0-9.]+) copies.*/\1/')"
}

file="$work/create-${size_mib}MiB.bin"
[[ -f "$file" ]] || head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$file"
seed_dir="$work/compare-seed"; mkdir -p "$seed_dir"; ln -f "$file" "$seed_dir/data.bin"
torrent="$work/compare.torrent"
java "${java_opts[@]}" -jar "$new" create "$seed_dir/data.bin" -o "$torrent" --piece-size 1M --force --no-date > /dev/null
cat "$file" > /dev/null

# plaintext TCP, for builds that have the options (earlier ones speak only plaintext, only TCP by default)
plain() {
  local help; help=$(java -jar "$1" seed --help 2>&1)
  grep -q -- '--encryption' <<< "$help" && printf '%s ' --encryption tolerated
  grep -q -- '--\[no-\]utp' <<< "$help" && printf '%s ' --no-utp
  true
}

transfer() { # JAR -> "seconds cpu_both"
  local sp leech seed_pid start end scpu enc
  enc=$(plain "$1")
  sp=$(free_port); leech="$work/compare-leech"; rm -rf "$leech" "$work/compare-state"; mkdir -p "$leech"
  jvm_for "$1"
  timeout 600 "${cmd[@]}" -jar "$1" seed "$torrent" -d "$seed_dir" --port "$sp" --bind 127.0.0.1 --no-dht $enc \
      --state-dir "$work/compare-state" --json-progress > "$work/compare-seed.log" 2>&1 &
  seed_pid=$!
  wait_port "$sp"
  for _ in $(seq 600); do grep -q '"state":"seeding"' "$work/compare-seed.log" && break; sleep 0.1; done
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/compare.time" timeout 600 "${cmd[@]}" -jar "$1" download "$torrent" -d "$leech" \
      --port 0 --bind 127.0.0.1 --no-dht $enc --peer "127.0.0.1:$sp" > /dev/null 2>&1
  end=$(date +%s.%N)
  scpu=$(awk -v t="$clk" '{print ($14 + $15) / t}' "/proc/$(pgrep -P "$seed_pid" -n || echo "$seed_pid")/stat")
  kill "$seed_pid" 2>/dev/null || true; wait "$seed_pid" 2>/dev/null || true
  cmp -s "$file" "$leech/data.bin" || echo "data differs" >&2
  read -r u s < "$work/compare.time"
  echo "$(echo "$end - $start" | bc -l) $(echo "$u + $s + $scpu" | bc -l)"
}

printf '%s\n' "median of $runs runs; old=$old new=$new"
IFS='|' read -r -a whats <<< "${COMPARE:-demo 8|demo 32|transfer}"
for what in "${whats[@]}"; do
  : > "$work/compare-old.runs"; : > "$work/compare-new.runs"
  for ((i = 0; i < runs; i++)); do
    for build in old new; do
      jar=$([[ $build == old ]] && echo "$old" || echo "$new")
      if [[ $what == transfer ]]; then transfer "$jar"; else demo "$jar" "${what#demo }"; fi >> "$work/compare-$build.runs"
    done
  done
  if [[ $what == transfer ]]; then
    o=$(cut -d' ' -f1 "$work/compare-old.runs" | median); n=$(cut -d' ' -f1 "$work/compare-new.runs" | median)
    oc=$(cut -d' ' -f2 "$work/compare-old.runs" | median); nc=$(cut -d' ' -f2 "$work/compare-new.runs" | median)
    printf '%s MiB transfer: old %.2f s (%.1f CPU-s)  new %.2f s (%.1f CPU-s)  time new/old %.2f  CPU new/old %.2f\n' \
      "$size_mib" "$o" "$oc" "$n" "$nc" "$(echo "$n / $o" | bc -l)" "$(echo "$nc / $oc" | bc -l)"
  else
    o=$(cut -d' ' -f1 "$work/compare-old.runs" | median); n=$(cut -d' ' -f1 "$work/compare-new.runs" | median)
    oc=$(cut -d' ' -f2 "$work/compare-old.runs" | median); nc=$(cut -d' ' -f2 "$work/compare-new.runs" | median)
    printf '%s: ratio to the bound old %s new %s (new/old %.2f); seed copies old %s new %s\n' "$what" "$o" "$n" \
      "$(echo "$n / $o" | bc -l)" "$oc" "$nc"
  fi
done
