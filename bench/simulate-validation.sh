#!/usr/bin/env bash
# The simulation against reality: the real `jtorrent demo` (one seed and N leechers as sessions in
# one process on 127.0.0.1) and `jtorrent simulate` of the same swarm (64 MiB, 64 KiB pieces, every
# peer 4 MiB/s up, ~0 ms latency), N = 8, 16, 32, with the ratio sim/real. The demo's CPU seconds
# and the cores they used on average are printed beside it: the simulation gives every host CPU to
# spare, while the demo's N + 1 sessions share this machine's cores — where the demo used them all,
# the difference is the machine's, not the swarm's.
# Writes bench/results/simulate-validation.txt.   bench/simulate-validation.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=bench/results/simulate-validation.txt
./jtorrent --version >/dev/null # builds the jar once, outside the timings
seconds() { sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$1"; }
{
  echo "# bench/simulate-validation.sh, $(date -u +%F), $(nproc) cores"
  for n in 8 16 32; do
    real="$(/usr/bin/time -f "%U %S %e" -o /tmp/validation-time.txt ./jtorrent demo --peers "$n" 2>/dev/null | tail -1)"
    sim="$(./jtorrent simulate --peers "$n" --size 64M --piece-size 64K --latency 0.05 2>/dev/null | tail -1)"
    echo "N=$n real: $real"
    echo "N=$n sim:  $sim"
    read -r user sys wall </tmp/validation-time.txt
    awk -v n="$n" -v r="$(seconds "$real")" -v s="$(seconds "$sim")" -v u="$user" -v k="$sys" -v w="$wall" \
      'BEGIN { printf "N=%d real %.1f s, simulated %.1f s: sim/real %.2f (the demo: %.1f CPU-s in %.1f s, %.2f cores on average)\n", n, r, s, s / r, u + k, w, (u + k) / w }'
  done
} | tee "$out"
