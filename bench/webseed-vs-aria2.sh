#!/usr/bin/env bash
# Web seeds (BEP 19): a single-file torrent whose only source is nginx on 127.0.0.1 (its url-list),
# downloaded by jtorrent and by aria2c in the same run; data in the page cache. Prints seconds and
# MB/s (median of RUNS) and the ratio jtorrent / aria2 of the download times.
#   bench/webseed-vs-aria2.sh [SIZE_MIB=256] [RUNS=3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-256}"
runs="${2:-3}"
work="${BENCH_DIR:-$root/bench/work}/webseed"
rm -rf "$work"; mkdir -p "$work/www" "$work/nginx"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/www/data.bin"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
port=$(free_port)
cat > "$work/nginx/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log warn;
events { worker_connections 256; }
http { access_log off; client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  sendfile on; server { listen 127.0.0.1:$port; root $work/www; } }
CONF
/usr/sbin/nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
wait_port "$port"
torrent="$work/data.torrent"
"$root/jtorrent" create "$work/www/data.bin" -o "$torrent" --piece-size 1M --no-date -w "http://127.0.0.1:$port/" > /dev/null
cat "$work/www/data.bin" > /dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() { local s e; s=$(date +%s.%N); "$@" > "$work/run.log" 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

jt=(); ar=()
for i in $(seq "$runs"); do
  rm -rf "$work/jt" "$work/aria"; mkdir -p "$work/jt" "$work/aria"
  jt+=("$(time_of "$root/jtorrent" download "$torrent" -d "$work/jt" --port 0 --bind 127.0.0.1 --no-dht --no-pex --encryption tolerated --no-utp)")
  cmp -s "$work/www/data.bin" "$work/jt/data.bin" || { echo "jtorrent: data differs" >&2; exit 1; }
  ar+=("$(time_of aria2c --no-conf --enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false \
      --listen-port="$(free_port)" --seed-time=0 --file-allocation=none --console-log-level=warn --summary-interval=0 \
      -d "$work/aria" "$torrent")")
  cmp -s "$work/www/data.bin" "$work/aria/data.bin" || { echo "aria2: data differs" >&2; exit 1; }
done
j=$(printf '%s\n' "${jt[@]}" | median); a=$(printf '%s\n' "${ar[@]}" | median)
mb=$(echo "$size_mib * 1048576 / 1000000" | bc -l)
mkdir -p "$root/bench/results"
{
  printf 'web seed only, %d MiB, 1 MiB pieces, nginx on 127.0.0.1, median of %d runs\n' "$size_mib" "$runs"
  printf '%-10s %8.2f s %8.1f MB/s   (runs: %s)\n' jtorrent "$j" "$(echo "$mb / $j" | bc -l)" "${jt[*]}"
  printf '%-10s %8.2f s %8.1f MB/s   (runs: %s)\n' aria2 "$a" "$(echo "$mb / $a" | bc -l)" "${ar[*]}"
  printf 'ratio jtorrent/aria2 time: %.2f\n' "$(echo "$j / $a" | bc -l)"
} | tee "$root/bench/results/webseed.txt"
