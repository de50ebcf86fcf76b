package io.jtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtorrent.storage.ResumeData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CONFIG_DIR/settings.json}: the daemon's session settings under Transmission's key names,
 * so a {@code settings.json} from transmission-daemon works here and the other way round.
 *
 * <p>Two kinds of keys. The <em>session</em> keys ({@link #SESSION_KEYS}: speed limits, queues,
 * seeding limits, directories, encryption, uTP, blocklist, script) are what {@code session-set}
 * changes: the daemon reads them at start and writes them back whenever they change. The
 * <em>start</em> keys ({@code rpc-port}, {@code rpc-bind-address}, {@code rpc-username},
 * {@code rpc-password}, {@code rpc-whitelist}, {@code peer-port}, {@code dht-enabled},
 * {@code watch-dir}, {@code umask}, …) are read by {@code jtorrent daemon} at start, where a flag
 * given on the command line wins over them. Keys this daemon does not know are kept as they are.
 *
 * <p>{@code rpc-password} is kept as Transmission keeps it: {@code "{"}, the hex SHA-1 of the
 * password followed by an 8-character salt, then the salt. A plain-text password found in the file
 * is replaced by its salted hash at start, as transmission-daemon does.
 *
 * <p>Written whole and atomically (temporary file, fsync, rename), like the state file. Thread-safe.
 */
public final class SettingsFile {
    static final String NAME = "settings.json";
    /** A settings file is a page of keys; anything much larger is not one. */
    static final long MAX_SIZE = 1 << 20;
    private static final String SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./";

    /** Session keys, by Transmission's name, with the {@link DaemonState} field each one is kept in. */
    static final Map<String, String> SESSION_KEYS = sessionKeys();

    private static Map<String, String> sessionKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("alt-speed-down", "altSpeedDownKBps");
        m.put("alt-speed-enabled", "altSpeedEnabled");
        m.put("alt-speed-time-begin", "altSpeedTimeBegin");
        m.put("alt-speed-time-day", "altSpeedTimeDay");
        m.put("alt-speed-time-enabled", "altSpeedTimeEnabled");
        m.put("alt-speed-time-end", "altSpeedTimeEnd");
        m.put("alt-speed-up", "altSpeedUpKBps");
        m.put("blocklist-enabled", "blocklistEnabled");
        m.put("blocklist-url", "blocklistUrl");
        m.put("download-dir", "downloadDir");
        m.put("download-queue-enabled", "downloadQueueEnabled");
        m.put("download-queue-size", "downloadQueueSize");
        m.put("encryption", "encryption");
        m.put("idle-seeding-limit", "idleSeedingLimit");
        m.put("idle-seeding-limit-enabled", "idleSeedingLimitEnabled");
        m.put("incomplete-dir", "incompleteDir");
        m.put("incomplete-dir-enabled", "incompleteDirEnabled");
        m.put("ratio-limit", "seedRatioLimit");
        m.put("ratio-limit-enabled", "seedRatioLimited");
        m.put("script-torrent-done-enabled", "scriptTorrentDoneEnabled");
        m.put("script-torrent-done-filename", "scriptTorrentDoneFilename");
        m.put("seed-queue-enabled", "seedQueueEnabled");
        m.put("seed-queue-size", "seedQueueSize");
        m.put("speed-limit-down", "speedLimitDownKBps");
        m.put("speed-limit-down-enabled", "speedLimitDownEnabled");
        m.put("speed-limit-up", "speedLimitUpKBps");
        m.put("speed-limit-up-enabled", "speedLimitUpEnabled");
        m.put("start-added-torrents", "startAddedTorrents");
        m.put("utp-enabled", "utpEnabled");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Transmission's numbers for the encryption policies: 0 tolerated, 1 preferred, 2 required. */
    private static final List<String> ENCRYPTION = List.of("tolerated", "preferred", "required");

    private final Path file;
    private final ObjectNode values;
    private byte[] written;

    private SettingsFile(Path file, ObjectNode values, byte[] written) {
        this.file = file;
        this.values = values;
        this.written = written;
    }

    /** Reads {@code configDir/settings.json}; none there gives an empty one (written at the first {@link #save}). */
    public static SettingsFile load(Path configDir) throws IOException {
        Path f = configDir.resolve(NAME);
        if (!Files.exists(f)) {
            return new SettingsFile(f, Json.object(), null);
        }
        if (Files.size(f) > MAX_SIZE) {
            throw new IOException(f + ": larger than " + MAX_SIZE + " bytes: not a settings file");
        }
        byte[] bytes = Files.readAllBytes(f);
        JsonNode n;
        try {
            n = Json.read(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(f + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IOException(f + ": must hold one JSON object of settings");
        }
        SettingsFile s = new SettingsFile(f, (ObjectNode) n, bytes);
        s.checkTypes();
        return s;
    }

    /** Every known key has its type, checked at start with the file named, so a typo is not found later. */
    private void checkTypes() throws IOException {
        for (Map.Entry<String, JsonNode> e : iterable()) {
            String k = e.getKey();
            JsonNode v = e.getValue();
            String want = expectedType(k);
            boolean ok = switch (want) {
                case "boolean" -> v.isBoolean();
                case "number" -> v.isNumber();
                case "string" -> v.isTextual();
                case "string or null" -> v.isTextual() || v.isNull();
                case "umask" -> v.isInt() || v.isTextual() && v.asText().matches("[0-7]{1,4}");
                default -> true;
            };
            if (!ok) {
                throw new IOException(file + ": \"" + k + "\" must be a " + (want.equals("umask") ? "number or an octal string" : want));
            }
        }
        if (values.has("encryption") && (values.get("encryption").asInt() < 0 || values.get("encryption").asInt() > 2)) {
            throw new IOException(file + ": \"encryption\" must be 0 (tolerated), 1 (preferred) or 2 (required)");
        }
        for (String port : List.of("rpc-port", "peer-port")) {
            if (values.has(port) && (values.get(port).asInt() < 0 || values.get(port).asInt() > 65535)) {
                throw new IOException(file + ": \"" + port + "\" must be 0..65535");
            }
        }
    }

    private static String expectedType(String key) {
        if (key.equals("umask")) {
            return "umask";
        }
        if (key.equals("script-torrent-done-filename") || key.equals("incomplete-dir")) {
            return "string or null";
        }
        if (key.endsWith("-enabled") || key.equals("start-added-torrents") || key.equals("rpc-authentication-required")) {
            return "boolean";
        }
        if (key.equals("encryption") || key.endsWith("-port") || key.endsWith("-size") || key.startsWith("speed-limit-")
                || key.startsWith("alt-speed-") || key.equals("ratio-limit") || key.equals("idle-seeding-limit")) {
            return "number";
        }
        if (key.endsWith("-dir") || key.endsWith("-url") || key.startsWith("rpc-") || key.startsWith("bind-address")) {
            return "string";
        }
        return "any";
    }

    private Iterable<Map.Entry<String, JsonNode>> iterable() {
        return values::fields;
    }

    public synchronized boolean has(String key) {
        return values.hasNonNull(key);
    }

    public synchronized String string(String key, String otherwise) {
        return has(key) ? values.get(key).asText() : otherwise;
    }

    public synchronized int integer(String key, int otherwise) {
        return has(key) ? values.get(key).asInt() : otherwise;
    }

    public synchronized boolean bool(String key, boolean otherwise) {
        return has(key) ? values.get(key).asBoolean() : otherwise;
    }

    /** A comma-separated list (Transmission's whitelists), blanks dropped. */
    public synchronized List<String> list(String key) {
        List<String> out = new ArrayList<>();
        for (String s : string(key, "").split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** The file's umask (Transmission writes a number, 18 for 022; 4.x an octal string), or -1 for none. */
    public synchronized int umask() {
        if (!has("umask")) {
            return -1;
        }
        JsonNode v = values.get("umask");
        return v.isInt() ? v.asInt() & 0777 : Integer.parseInt(v.asText(), 8) & 0777;
    }

    /** Sets a key as a flag given on the command line would: written at the next {@link #save}. */
    public synchronized void set(String key, Object value) {
        values.set(key, Json.tree(value));
    }

    /** Sets the encryption policy by its name (required, preferred, tolerated), stored as Transmission's number. */
    public synchronized void setEncryption(String label) {
        values.put("encryption", ENCRYPTION.indexOf(label));
    }

    /**
     * {@code "user:password"} for HTTP Basic authentication when {@code rpc-authentication-required}
     * is on (the password as its salted hash), or null. A plain-text password is hashed here, in the
     * file too at the next {@link #save}.
     */
    public synchronized String credentials() {
        if (!bool("rpc-authentication-required", false)) {
            return null;
        }
        String password = string("rpc-password", "");
        if (!password.startsWith("{")) {
            password = Credentials.saltedHash(password);
            values.put("rpc-password", password);
        }
        return string("rpc-username", "") + ":" + password;
    }

    /** The session keys found in the file, put into the state (its fields as the file gives them). */
    synchronized void applyTo(DaemonState state) throws IOException {
        ObjectNode fields = Json.object();
        SESSION_KEYS.forEach((key, field) -> {
            if (values.has(key)) {
                JsonNode v = values.get(key);
                if (key.equals("encryption")) {
                    v = Json.NODES.textNode(ENCRYPTION.get(v.asInt()));
                } else if ((key.equals("incomplete-dir") || key.equals("script-torrent-done-filename")) && v.asText().isEmpty()) {
                    v = Json.NODES.nullNode();
                }
                fields.set(field, v);
            }
        });
        try {
            Json.update(state, fields);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The session keys from the state, as Transmission writes them. */
    static ObjectNode sessionValues(DaemonState state) {
        ObjectNode fields = (ObjectNode) Json.tree(state);
        ObjectNode out = Json.object();
        SESSION_KEYS.forEach((key, field) -> {
            JsonNode v = fields.get(field);
            if (key.equals("encryption")) {
                if (v != null && !v.isNull()) {
                    out.put(key, ENCRYPTION.indexOf(v.asText()));
                }
            } else if (key.equals("utp-enabled")) {
                if (v != null && !v.isNull()) {
                    out.set(key, v);
                }
            } else {
                out.set(key, v == null || v.isNull() ? Json.NODES.textNode("") : v);
            }
        });
        return out;
    }

    /** Writes the file with the state's session keys, every other key kept; only when something changed. */
    synchronized void save(DaemonState state) throws IOException {
        values.setAll(sessionValues(state));
        write();
    }

    /** Writes the file as it now is (keys sorted, as Transmission writes them), only when something changed. */
    public synchronized void write() throws IOException {
        ObjectNode sorted = Json.object();
        List<String> keys = new ArrayList<>();
        values.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        keys.forEach(k -> sorted.set(k, values.get(k)));
        byte[] bytes = Json.writePretty(sorted);
        if (written != null && Arrays.equals(bytes, written)) {
            return;
        }
        ResumeData.writeAtomically(file, bytes);
        written = bytes;
    }

    /** HTTP Basic credentials, the password kept in clear or as Transmission's salted SHA-1. */
    static final class Credentials {
        private final byte[] user;
        private final String password;

        private Credentials(String userColonPassword) {
            int colon = userColonPassword.indexOf(':');
            this.user = userColonPassword.substring(0, colon).getBytes(StandardCharsets.UTF_8);
            this.password = userColonPassword.substring(colon + 1);
        }

        /** From {@code "user:password"}; a password of the form {@code {HASHsalt} } is Transmission's salted hash. */
        static Credentials parse(String userColonPassword) {
            if (userColonPassword.indexOf(':') < 0) {
                throw new IllegalArgumentException("credentials must be USER:PASSWORD");
            }
            return new Credentials(userColonPassword);
        }

        /** Whether an {@code Authorization} header's Basic credentials are these, in time that does not depend on how much matched. */
        boolean matches(String header) {
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return false;
            }
            String given;
            try {
                given = new String(java.util.Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = given.indexOf(':');
            if (colon < 0) {
                return false;
            }
            boolean userOk = MessageDigest.isEqual(given.substring(0, colon).getBytes(StandardCharsets.UTF_8), user);
            return passwordMatches(given.substring(colon + 1)) & userOk;
        }

        private boolean passwordMatches(String given) {
            if (password.startsWith("{") && password.length() > 41) {
                String salt = password.substring(41);
                return MessageDigest.isEqual(hash(given, salt).getBytes(StandardCharsets.US_ASCII),
                        password.getBytes(StandardCharsets.US_ASCII));
            }
            return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
        }

        /** Transmission's salted hash of a password, with a fresh random salt. */
        static String saltedHash(String password) {
            SecureRandom random = new SecureRandom();
            StringBuilder salt = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                salt.append(SALT_CHARS.charAt(random.nextInt(SALT_CHARS.length())));
            }
            return hash(password, salt.toString());
        }

        static String hash(String password, String salt) {
            try {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                sha1.update(password.getBytes(StandardCharsets.UTF_8));
                sha1.update(salt.getBytes(StandardCharsets.UTF_8));
                return "{" + HexFormat.of().formatHex(sha1.digest()) + salt;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
