# A libtorrent peer for interop tests, on 127.0.0.1 only, with DHT, LSD, UPnP, NAT-PMP and uTP off:
#   libtorrent_peer.py seed|leech|leech-exit TORRENT|MAGNET SAVE_DIR PORT SECONDS [HOST:PORT ...]
# With LT_DHT_BOOTSTRAP=HOST:PORT in the environment, the DHT is on and joins only through that node.
# With LT_ENCRYPTION=forced, only encrypted (RC4) connections both ways; =disabled, only plaintext.
# With LT_UTP_ONLY=1, uTP only: TCP off both ways.
# Connects to the given peers, prints "progress P" lines and "finished" when it has everything
# (leech-exit then exits 0), and exits after SECONDS whatever happens (the test also kills it by PID).
import os
import sys
import time

import libtorrent as lt

mode, torrent, save_dir, port, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
peers = sys.argv[6:]

settings = {
    "listen_interfaces": "127.0.0.1:%d" % port,
    "outgoing_interfaces": "127.0.0.1",
    "enable_dht": False,
    "enable_lsd": False,
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_incoming_utp": False,
    "enable_outgoing_utp": False,
    "allow_multiple_connections_per_ip": True,
    "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
}
enc = os.environ.get("LT_ENCRYPTION")
if enc == "forced":
    settings.update({"out_enc_policy": 0, "in_enc_policy": 0, "allowed_enc_level": 2, "prefer_rc4": True})
elif enc == "disabled":
    settings.update({"out_enc_policy": 2, "in_enc_policy": 2})
if os.environ.get("LT_UTP_ONLY"):
    settings.update({"enable_incoming_utp": True, "enable_outgoing_utp": True, "enable_incoming_tcp": False,
                     "enable_outgoing_tcp": False})
dht = os.environ.get("LT_DHT_BOOTSTRAP")
if dht:
    settings.update({"enable_dht": True, "dht_bootstrap_nodes": dht, "dht_restrict_routing_ips": False,
                     "dht_restrict_search_ips": False, "dht_ignore_dark_internet": False})
ses = lt.session(settings)
if torrent.startswith("magnet:"):
    params = lt.parse_magnet_uri(torrent)
else:
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
params.save_path = save_dir
params.flags &= ~lt.torrent_flags.auto_managed
params.flags &= ~lt.torrent_flags.paused
if mode == "seed":
    params.flags |= lt.torrent_flags.seed_mode
handle = ses.add_torrent(params)
for p in peers:
    host, p_port = p.rsplit(":", 1)
    handle.connect_peer((host, int(p_port)))

deadline = time.time() + seconds
announced = False
last_connect = time.time()
while time.time() < deadline:
    s = handle.status()
    print("progress %.4f peers %d state %s" % (s.progress, s.num_peers, s.state), flush=True)
    if s.is_seeding and not announced:
        print("finished", flush=True)
        announced = True
        if mode == "leech-exit":
            sys.exit(0)
    if dht and int(time.time() - deadline + seconds) % 10 == 5:
        handle.force_dht_announce()
    if time.time() - last_connect > 2 and s.num_peers < len(peers):
        for p in peers:
            host, p_port = p.rsplit(":", 1)
            handle.connect_peer((host, int(p_port)))
        last_connect = time.time()
    for a in ses.pop_alerts():
        if a.category() & lt.alert.category_t.error_notification:
            print("alert %s" % a.message(), flush=True)
    time.sleep(0.05 if mode == "leech-exit" else 0.5)
