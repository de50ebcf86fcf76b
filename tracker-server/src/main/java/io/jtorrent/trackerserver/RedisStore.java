package io.jtorrent.trackerserver;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Swarms in Redis, so that several tracker processes behind one address share every swarm.
 *
 * <p>Per swarm (key prefix {@code jt:<info-hash hex>:}): two sorted sets, {@code seeders} and
 * {@code leechers}, of peer ids scored by the time they expire; a hash {@code addr} from peer id
 * to its compact address; a counter {@code completed}. One Lua script does an announce atomically:
 * drop the expired peers, record (or remove) this one, count, and sample up to numwant others.
 * Expiry is Redis's own: every announce prunes what has expired, and every key of a swarm expires
 * with it (twice the interval after its last announce); no sweeper runs anywhere.
 */
public final class RedisStore implements SwarmStore {
    /** KEYS: seeders, leechers, addr, completed. ARGV: now_ms, expire_ms, peer_id, addr, seeder(0/1), event, numwant, ttl_s. */
    private static final String ANNOUNCE = """
            local now = tonumber(ARGV[1])
            for i = 1, 2 do
              local gone = redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', now)
              if #gone > 0 then
                redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
                redis.call('HDEL', KEYS[3], unpack(gone))
              end
            end
            local id = ARGV[3]
            redis.call('ZREM', KEYS[1], id)
            redis.call('ZREM', KEYS[2], id)
            if ARGV[6] == 'stopped' then
              redis.call('HDEL', KEYS[3], id)
            else
              local set = ARGV[5] == '1' and KEYS[1] or KEYS[2]
              redis.call('ZADD', set, tonumber(ARGV[2]), id)
              redis.call('HSET', KEYS[3], id, ARGV[4])
              if ARGV[6] == 'completed' then redis.call('INCR', KEYS[4]) end
            end
            local ttl = tonumber(ARGV[8])
            for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ttl) end
            local complete = redis.call('ZCARD', KEYS[1])
            local incomplete = redis.call('ZCARD', KEYS[2])
            local downloaded = tonumber(redis.call('GET', KEYS[4]) or '0')
            local want = tonumber(ARGV[7])
            local out = {complete, incomplete, downloaded}
            if ARGV[6] ~= 'stopped' and want > 0 then
              local candidates = {}
              if ARGV[5] ~= '1' then
                for _, p in ipairs(redis.call('ZRANDMEMBER', KEYS[1], want + 1)) do table.insert(candidates, p) end
              end
              for _, p in ipairs(redis.call('ZRANDMEMBER', KEYS[2], want + 1)) do table.insert(candidates, p) end
              local n = 0
              for _, p in ipairs(candidates) do
                if p ~= id and n < want then
                  local a = redis.call('HGET', KEYS[3], p)
                  if a then table.insert(out, p); table.insert(out, a); n = n + 1 end
                end
              end
            end
            return out
            """;

    /** How long one Redis call may take before the announce is answered with a failure. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisCommands<byte[], byte[]> redis;
    private final long expiryMillis;
    private final String scriptSha;

    /** Connects to {@code uri} (redis://host:port); peers expire {@code expiry} after their last announce. */
    public RedisStore(String uri, Duration expiry) {
        this.client = RedisClient.create(uri);
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        // a slow or absent Redis fails the request within this time (answered with a failure reason)
        this.connection.setTimeout(COMMAND_TIMEOUT);
        this.redis = connection.sync();
        this.expiryMillis = expiry.toMillis();
        this.scriptSha = redis.scriptLoad(ANNOUNCE.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[][] keys(byte[] infoHash) {
        String prefix = "jt:" + HexFormat.of().formatHex(infoHash) + ":";
        return new byte[][] {bytes(prefix + "seeders"), bytes(prefix + "leechers"), bytes(prefix + "addr"), bytes(prefix + "completed")};
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Answer announce(Announce a) {
        long now = System.currentTimeMillis();
        Peer p = a.peer();
        byte[] address = ByteBuffer.allocate(p.address().length + 2).put(p.address()).putShort((short) p.port()).array();
        String event = switch (a.event()) {
            case STOPPED -> "stopped";
            case COMPLETED -> "completed";
            default -> "none";
        };
        List<Object> r = redis.evalsha(scriptSha, ScriptOutputType.MULTI, keys(a.infoHash()),
                // a peer is its address and port, never its peer id: another host cannot stop it
                bytes(Long.toString(now)), bytes(Long.toString(now + expiryMillis)), address, address,
                bytes(p.seeder() ? "1" : "0"), bytes(event), bytes(Integer.toString(a.numWant())),
                bytes(Long.toString(Math.max(1, 2 * expiryMillis / 1000))));
        // the script returns each peer as its compact address and port (ids are not kept, nor handed out)
        java.io.ByteArrayOutputStream v4 = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream v6 = new java.io.ByteArrayOutputStream();
        for (int i = 3; i + 1 < r.size(); i += 2) {
            byte[] addr = (byte[]) r.get(i + 1);
            if (addr.length == 6 || addr.length == 18) {
                (addr.length == 6 ? v4 : v6).writeBytes(addr);
            }
        }
        return new Answer(((Long) r.get(0)).intValue(), ((Long) r.get(1)).intValue(), ((Long) r.get(2)).intValue(),
                v4.toByteArray(), v6.toByteArray());
    }

    @Override
    public Counts scrape(byte[] infoHash) {
        byte[][] k = keys(infoHash);
        long now = System.currentTimeMillis();
        long complete = redis.zcount(k[0], io.lettuce.core.Range.create(now, Double.POSITIVE_INFINITY));
        long incomplete = redis.zcount(k[1], io.lettuce.core.Range.create(now, Double.POSITIVE_INFINITY));
        byte[] done = redis.get(k[3]);
        return new Counts((int) complete, (int) incomplete, done == null ? 0 : Integer.parseInt(new String(done, StandardCharsets.US_ASCII)));
    }

    /** Totals are not tracked across instances cheaply; swarms are counted by key scan only on demand. */
    @Override
    public long[] totals() {
        long swarms = 0;
        long peers = 0;
        long seeders = 0;
        io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
        io.lettuce.core.ScanArgs match = io.lettuce.core.ScanArgs.Builder.matches("jt:*:addr").limit(500);
        do {
            io.lettuce.core.KeyScanCursor<byte[]> page = redis.scan(cursor, match);
            for (byte[] key : page.getKeys()) {
                swarms++;
                String prefix = new String(key, StandardCharsets.UTF_8);
                prefix = prefix.substring(0, prefix.length() - "addr".length());
                seeders += redis.zcard(bytes(prefix + "seeders"));
                peers += redis.zcard(bytes(prefix + "seeders")) + redis.zcard(bytes(prefix + "leechers"));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return new long[] {swarms, peers, seeders};
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
