# Makes a v1-only torrent of ROOT with libtorrent, adding the files in the order given:
#   libtorrent_create.py ROOT PIECE_LENGTH OUT.torrent REL_PATH...
# and prints its v1 info-hash.
import os, sys
import libtorrent as lt
root = sys.argv[1]; piece = int(sys.argv[2]); out = sys.argv[3]; rels = sys.argv[4:]
fs = lt.file_storage()
name = os.path.basename(root)
for rel in rels:
    fs.add_file(os.path.join(name, rel), os.path.getsize(os.path.join(root, rel)))
ct = lt.create_torrent(fs, piece, flags=lt.create_torrent.v1_only)
lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(root)))
data = lt.bencode(ct.generate())
open(out, "wb").write(data)
print(lt.torrent_info(out).info_hashes().v1)
