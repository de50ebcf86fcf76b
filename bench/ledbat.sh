#!/usr/bin/env bash
# LEDBAT yields: a jtorrent -> libtorrent upload over uTP on a 20 Mbit/s link (tbf on the loopback
# of a private network namespace, `unshare -rn`), alone for 20 s, then beside a bulk TCP flow (a
# plain socket pair) for 20 s, then alone again for 20 s. Prints the rates of each phase against the
# link and writes the rates over time to bench/results/ledbat.csv and a chart to ledbat.svg.
#   bench/ledbat.sh [PHASE_SECONDS=20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
phase="${1:-20}"
if [[ "${LEDBAT_INSIDE:-}" != 1 ]]; then
  "$root/jtorrent" --help > /dev/null 2>&1 # build the CLI outside, if needed
  exec env LEDBAT_INSIDE=1 unshare -rn "$0" "$@"
fi
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ip link set lo up
ip link set lo mtu 1500 # tbf never passes a packet larger than its bucket
tc qdisc add dev lo root tbf rate 20mbit burst 64kbit latency 400ms
link_bps=2500000

mkdir -p "$work/seed" "$work/leech"
head -c $((400 * 1024 * 1024)) /dev/zero | tr '\0' 'x' > "$work/seed/data.bin"
"$root/jtorrent" create "$work/seed/data.bin" -o "$work/t.torrent" --piece-size 1M --force --no-date > /dev/null
port=45001
"$root/jtorrent" seed "$work/t.torrent" -d "$work/seed" --port "$port" --bind 127.0.0.1 --no-dht --utp \
  --encryption tolerated --json-progress > "$work/seed.log" 2>&1 &
for _ in $(seq 200); do grep -q '"state":"seeding"' "$work/seed.log" && break; sleep 0.1; done
script="$root/testkit/src/main/resources/io/jtorrent/testkit/libtorrent_peer.py"
LT_UTP_ONLY=1 /usr/bin/python3 -u "$script" leech "$work/t.torrent" "$work/leech" 45002 $((4 * phase + 10)) \
  "127.0.0.1:$port" > "$work/lt.log" 2>&1 &

# the competing TCP flow: a receiver counting bytes per second, a sender that starts after one phase
skip=$(grep -c '"uploadRate"' "$work/seed.log" || true)
/usr/bin/python3 -u - "$phase" > "$work/tcp.csv" 2> "$work/tcp.err" <<'EOF' &
import socket, sys, threading, time
phase = int(sys.argv[1])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 45003)); srv.listen(1)
count = [0]
def receive():
    c, _ = srv.accept()
    while True:
        b = c.recv(65536)
        if not b:
            return
        count[0] += len(b)
def send():
    time.sleep(phase)
    s = socket.create_connection(("127.0.0.1", 45003))
    end = time.time() + phase
    chunk = b"y" * 65536
    while time.time() < end:
        s.sendall(chunk)
    s.close()
threading.Thread(target=receive, daemon=True).start()
threading.Thread(target=send, daemon=True).start()
start = time.time()
last = 0
for t in range(1, 3 * phase + 1):
    time.sleep(max(0, start + t - time.time()))
    now = count[0]
    print(t, now - last, flush=True)
    last = now
EOF
tcp_pid=$!
wait "$tcp_pid" || true

# jtorrent's upload rate each second, aligned with the TCP flow's seconds
grep -o '"uploadRate":[0-9]*' "$work/seed.log" | cut -d: -f2 | tail -n +$((skip + 1)) | head -n $((3 * phase)) > "$work/utp.rates"
mkdir -p "$root/bench/results"
csv="$root/bench/results/ledbat.csv"
echo "second,utp_bytes_per_s,tcp_bytes_per_s" > "$csv"
paste -d' ' <(seq 1 $((3 * phase))) "$work/utp.rates" <(cut -d' ' -f2 "$work/tcp.csv") | awk '{print $1","$2","$3}' >> "$csv"
avg() { awk -F, -v a="$1" -v b="$2" -v c="$3" 'NR>1 && $1>a && $1<=b {s+=$c; n++} END {printf "%.0f", n ? s/n : 0}' "$csv"; }
# each phase's first 5 s left out: the flows settle
alone=$(avg 5 "$phase" 2); with_utp=$(avg $((phase + 5)) $((2 * phase)) 2); with_tcp=$(avg $((phase + 5)) $((2 * phase)) 3)
after=$(avg $((2 * phase + 5)) $((3 * phase)) 2)
printf 'link 20 Mbit/s (%d B/s), tbf on a namespace loopback, phases of %d s (first 5 s of each left out)\n' "$link_bps" "$phase"
printf 'uTP alone:            %8d B/s  %.2f of the link\n' "$alone" "$(echo "$alone / $link_bps" | bc -l)"
printf 'uTP beside TCP:       %8d B/s  %.2f of the link\n' "$with_utp" "$(echo "$with_utp / $link_bps" | bc -l)"
printf 'TCP beside uTP:       %8d B/s  %.2f of the link\n' "$with_tcp" "$(echo "$with_tcp / $link_bps" | bc -l)"
printf 'uTP after TCP ended:  %8d B/s  %.2f of the link\n' "$after" "$(echo "$after / $link_bps" | bc -l)"

# a small chart: uTP (blue) and TCP (red) over time
svg="$root/bench/results/ledbat.svg"
awk -F, -v link="$link_bps" 'NR>1 {t[NR]=$1; u[NR]=$2; c[NR]=$3; n=NR}
END {
  w=600; h=240; printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">\n", w+60, h+40
  printf "<text x=\"60\" y=\"15\" font-size=\"12\">uTP (blue) and TCP (red), bytes/s; dashed: the 20 Mbit/s link</text>\n"
  y = 20 + h - h / 1.1; printf "<line x1=\"50\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"gray\" stroke-dasharray=\"4\"/>\n", y, w+50, y
  for (k = 0; k < 2; k++) {
    printf "<polyline fill=\"none\" stroke=\"%s\" points=\"", k ? "red" : "blue"
    for (i = 2; i <= n; i++) { v = k ? c[i] : u[i]; printf "%.1f,%.1f ", 50 + w * t[i] / t[n], 20 + h - h * v / (link * 1.1) }
    printf "\"/>\n"
  }
  printf "</svg>\n"
}' "$csv" > "$svg"
