package io.jtorrent.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the canonical encoding of a value: integers without leading zeros, dictionary keys in
 * sorted (unsigned byte-wise) order, whatever order a decoded dictionary had them in.
 */
public final class BencodeEncoder {
    private BencodeEncoder() {}

    public static byte[] encode(BValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(value, out);
        return out.toByteArray();
    }

    public static void write(BValue value, ByteArrayOutputStream out) {
        if (value instanceof BInteger i) {
            out.write('i');
            writeAscii(Long.toString(i.value()), out);
            out.write('e');
        } else if (value instanceof BBytes s) {
            writeString(s, out);
        } else if (value instanceof BList l) {
            out.write('l');
            for (BValue item : l) {
                write(item, out);
            }
            out.write('e');
        } else {
            BDictionary d = (BDictionary) value;
            out.write('d');
            List<Map.Entry<BBytes, BValue>> sorted = new ArrayList<>(d.entries().entrySet());
            sorted.sort(Map.Entry.comparingByKey());
            for (Map.Entry<BBytes, BValue> e : sorted) {
                writeString(e.getKey(), out);
                write(e.getValue(), out);
            }
            out.write('e');
        }
    }

    private static void writeString(BBytes s, ByteArrayOutputStream out) {
        writeAscii(Integer.toString(s.length()), out);
        out.write(':');
        s.writeTo(out);
    }

    private static void writeAscii(String s, ByteArrayOutputStream out) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
    }
}
