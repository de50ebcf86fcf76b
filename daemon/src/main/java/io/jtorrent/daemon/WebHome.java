package io.jtorrent.daemon;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Another web client served instead of ours, as transmission-daemon does with
 * {@code TRANSMISSION_WEB_HOME}: the files under one directory at {@code /transmission/web/}
 * (a directory's {@code index.html} for the directory), {@code /} sending the browser there. Only
 * files inside the directory, by their real paths, are served; nothing is listed.
 */
final class WebHome {
    static final String PREFIX = "/transmission/web/";
    /** Web clients are scripts, styles and images: a larger file is not served from memory. */
    static final long MAX_FILE = 16 << 20;
    /**
     * What another web client may do: its own scripts and styles (inline ones too, as Transmission's
     * and others' pages use them), requests to this origin only, no framing.
     */
    static final String POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("map", "application/json"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("ico", "image/x-icon"), Map.entry("webp", "image/webp"), Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json"));

    private final Path root;

    /** @param dir the web client's directory; it must exist */
    WebHome(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("web home " + dir + ": not a directory");
        }
        this.root = dir.toRealPath();
    }

    /** The answer for a path under {@link #PREFIX} (already URL-decoded), or for {@code /} and the bare prefix: a redirect. */
    FullHttpResponse serve(String path) {
        if (!path.startsWith(PREFIX)) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
            r.headers().set(HttpHeaderNames.LOCATION, PREFIX);
            return r;
        }
        String rel = path.substring(PREFIX.length());
        if (rel.indexOf('\0') >= 0 || rel.contains("\\")) {
            return notFound();
        }
        Path p;
        try {
            p = root.resolve(rel).normalize();
            if (!p.startsWith(root)) {
                return notFound();
            }
            if (Files.isDirectory(p)) {
                p = p.resolve("index.html");
            }
            if (!Files.isRegularFile(p)) {
                return notFound();
            }
            p = p.toRealPath(); // a link inside may point outside: what counts is where it leads
            if (!p.startsWith(root) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) > MAX_FILE) {
                return notFound();
            }
            byte[] body = Files.readAllBytes(p);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type(p.getFileName().toString()))
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                    .set("X-Content-Type-Options", "nosniff");
            return r;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return notFound();
        }
    }

    static String type(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static FullHttpResponse notFound() {
        return HttpFrontend.text(HttpResponseStatus.NOT_FOUND, "not found\n");
    }
}
