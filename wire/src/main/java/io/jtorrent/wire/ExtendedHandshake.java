package io.jtorrent.wire;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BInteger;
import io.jtorrent.bencode.BValue;
import io.jtorrent.bencode.BencodeEncoder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The extended handshake (BEP 10, extended message id 0): which extensions the sender speaks and
 * under which message ids it wants them, plus facts about itself. Fields a peer sends in the wrong
 * type are ignored, as BEP 10 asks; only a payload that is not a dictionary is an error.
 *
 * @param extensions extension name to the id the sender receives it under (1..255); a name
 *     given with id 0 (the sender turning it off) is left out
 * @param client {@code v}: the client's name and version
 * @param listenPort {@code p}: the sender's TCP listen port, 0 if not given
 * @param requestQueue {@code reqq}: how many outstanding requests the sender takes, 0 if not given
 * @param yourIp {@code yourip}: our address as the sender sees it (4 or 16 bytes), if given
 * @param metadataSize {@code metadata_size} (BEP 9): size of the info dictionary, -1 if not given
 * @param uploadOnly {@code upload_only} (BEP 21): the sender only uploads (a seed or a partial seed)
 */
public record ExtendedHandshake(Map<String, Integer> extensions, Optional<String> client, int listenPort,
                                int requestQueue, Optional<byte[]> yourIp, long metadataSize, boolean uploadOnly) {
    /** At most this many extensions are kept from one handshake. */
    public static final int MAX_EXTENSIONS = 64;

    public ExtendedHandshake {
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** Decodes the payload of an extended message with id 0. */
    public static ExtendedHandshake decode(byte[] payload) throws PeerProtocolException {
        BDictionary d = (BDictionary) ExtensionPayload.dictionary(payload, "extended handshake").value();
        Map<String, Integer> ext = new LinkedHashMap<>();
        if (d.get("m").orElse(null) instanceof BDictionary m) {
            for (Map.Entry<BBytes, BValue> e : m.entries().entrySet()) {
                if (e.getValue() instanceof BInteger id && id.value() > 0 && id.value() <= 255
                        && e.getKey().isUtf8() && ext.size() < MAX_EXTENSIONS) {
                    ext.put(e.getKey().asString(), (int) id.value());
                }
            }
        }
        Optional<String> client = ExtensionPayload.bytes(d, "v").map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8))
                .map(s -> s.length() > 100 ? s.substring(0, 100) : s);
        int port = ExtensionPayload.integer(d, "p").filter(p -> p > 0 && p <= 65535).map(Long::intValue).orElse(0);
        int reqq = ExtensionPayload.integer(d, "reqq").filter(q -> q > 0).map(q -> (int) Math.min(q, 100_000)).orElse(0);
        Optional<byte[]> yourIp = ExtensionPayload.bytes(d, "yourip").filter(b -> b.length == 4 || b.length == 16);
        long metadataSize = ExtensionPayload.integer(d, "metadata_size").filter(s -> s > 0).orElse(-1L);
        boolean uploadOnly = ExtensionPayload.integer(d, "upload_only").map(u -> u != 0).orElse(false);
        return new ExtendedHandshake(ext, client, port, reqq, yourIp, metadataSize, uploadOnly);
    }

    public byte[] encode() {
        BDictionary.Builder m = BDictionary.builder();
        extensions.forEach((name, id) -> m.put(name, id));
        BDictionary.Builder b = BDictionary.builder().put("m", m.build());
        client.ifPresent(v -> b.put("v", v));
        if (listenPort > 0) {
            b.put("p", listenPort);
        }
        if (requestQueue > 0) {
            b.put("reqq", requestQueue);
        }
        yourIp.ifPresent(ip -> b.put("yourip", ip));
        if (metadataSize > 0) {
            b.put("metadata_size", metadataSize);
        }
        if (uploadOnly) {
            b.put("upload_only", 1);
        }
        return BencodeEncoder.encode(b.build());
    }

    /** The id the sender wants {@code extension} under, or 0 if it does not speak it. */
    public int idOf(String extension) {
        return extensions.getOrDefault(extension, 0);
    }
}
