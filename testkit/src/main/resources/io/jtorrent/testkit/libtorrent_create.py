# Makes a torrent of PATH with libtorrent's create_torrent and prints its info-hashes:
#   libtorrent_create.py PATH v2|hybrid PIECE_LENGTH OUT.torrent  ->  "V1HEX V2HEX" ('-' for none)
import os
import sys

import libtorrent as lt

path, kind, piece, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
fs = lt.file_storage()
lt.add_files(fs, path)
flags = {"v2": lt.create_torrent.v2_only, "hybrid": 0}[kind]
ct = lt.create_torrent(fs, piece, flags=flags)
lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(path)))
data = lt.bencode(ct.generate())
with open(out, "wb") as f:
    f.write(data)
h = lt.torrent_info(data).info_hashes()
print(str(h.v1) if h.has_v1() else "-", str(h.v2) if h.has_v2() else "-")
