# Prints what libtorrent makes of each torrent file named on the command line, one line each:
# file, info-hash, piece count, piece length, total size, file sizes, file flags, v2 info-hash
# (tab-separated; a hash the torrent lacks is '-'),
# or file, ERROR, message.
import os
import sys

import libtorrent as lt

for path in sys.argv[1:]:
    name = os.path.basename(path)
    try:
        ti = lt.torrent_info(path)
    except Exception as e:  # libtorrent raises RuntimeError with its message
        print(name, "ERROR", str(e).replace("\t", " "), sep="\t")
        continue
    fs = ti.files()
    sizes = ",".join(str(fs.file_size(i)) for i in range(fs.num_files()))
    flags = ",".join(str(int(fs.file_flags(i))) for i in range(fs.num_files()))
    h = ti.info_hashes()
    v1 = str(h.v1) if h.has_v1() else "-"
    v2 = str(h.v2) if h.has_v2() else "-"
    print(name, v1, ti.num_pieces(), ti.piece_length(), ti.total_size(), sizes, flags, v2, sep="\t")
