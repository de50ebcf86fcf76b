package io.jtorrent.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Transmission's blocklist: fetched from {@code blocklist-url} (http or https, or a file inside
 * the daemon's directories) by {@code blocklist-update}, kept in {@code CONFIG_DIR/blocklists/}
 * (written atomically) so a restart applies it again, and applied to every peer while
 * {@code blocklist-enabled}. A fetch is bounded: {@link #MAX_DOWNLOAD} bytes, a minute.
 */
final class BlocklistUpdate {
    static final long MAX_DOWNLOAD = 64L << 20;

    private BlocklistUpdate() {}

    static Path file(Path configDir) {
        return configDir.resolve("blocklists").resolve("blocklist");
    }

    /** The kept list, or null when there is none or it no longer reads. */
    static Blocklist load(Path configDir) {
        Path f = file(configDir);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(f)) {
            return Blocklist.read(in);
        } catch (IOException e) {
            return null;
        }
    }

    /** Fetches, parses and keeps the list at {@code url} (a file must be inside {@code roots}); off the daemon's thread. */
    static Blocklist fetch(String url, PathRoots roots, Path configDir) throws IOException, InterruptedException {
        byte[] body;
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new RpcException("blocklist-url: '" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("http") || scheme.equals("https")) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw new IOException("blocklist-url answered HTTP " + r.statusCode());
                }
                body = in.readNBytes((int) MAX_DOWNLOAD + 1);
            }
        } else if (scheme.equals("file") || scheme.isEmpty()) {
            Path f = roots.confine("blocklist-url", scheme.isEmpty() ? url : Path.of(uri).toString());
            try (InputStream in = Files.newInputStream(f)) {
                body = in.readNBytes((int) MAX_DOWNLOAD + 1);
            }
        } else {
            throw new RpcException("blocklist-url: '" + url + "' is neither http(s) nor a file");
        }
        if (body.length > MAX_DOWNLOAD) {
            throw new IOException("blocklist-url: more than " + (MAX_DOWNLOAD >> 20) + " MiB");
        }
        Blocklist list = Blocklist.read(new java.io.ByteArrayInputStream(body));
        Path f = file(configDir);
        Files.createDirectories(f.getParent());
        io.jtorrent.storage.ResumeData.writeAtomically(f, body);
        return list;
    }
}
