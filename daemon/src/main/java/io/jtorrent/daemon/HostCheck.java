package io.jtorrent.daemon;

import io.netty.util.NetUtil;
import java.util.List;
import java.util.Locale;

/**
 * The defence against DNS rebinding (Transmission's {@code rpc-host-whitelist}, CVE-2018-5702): a
 * web page whose host name re-resolves to this machine still sends its own name in {@code Host}.
 * IP literals are always allowed (rebinding needs a name), so are {@code localhost} and the names
 * on the list; any other name is refused. Entries may use {@code *} as a wildcard
 * ({@code *.example.org}); a lone {@code *} turns the check off. No name is ever resolved here.
 */
final class HostCheck {
    private final List<String> allowed;

    HostCheck(List<String> allowed) {
        this.allowed = allowed.stream().map(HostCheck::normalise).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether a request with this {@code Host} header (null when absent) may be served. */
    boolean allows(String hostHeader) {
        if (hostHeader == null) {
            return true; // HTTP/1.0 tools; a browser always sends Host, so this is no rebinding page
        }
        String host = hostOnly(hostHeader.trim());
        if (host == null) {
            return false;
        }
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            return true;
        }
        String name = normalise(host);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        for (String pattern : allowed) {
            if (Wildcards.matches(pattern, name)) {
                return true;
            }
        }
        return false;
    }

    /** The host part of a Host header: brackets of an IPv6 literal and the port taken off; null when malformed. */
    static String hostOnly(String header) {
        if (header.startsWith("[")) {
            int close = header.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = header.substring(close + 1);
            if (!rest.isEmpty() && !rest.matches(":[0-9]{1,5}")) {
                return null;
            }
            return header.substring(1, close);
        }
        int colon = header.lastIndexOf(':');
        if (colon >= 0) {
            if (header.indexOf(':') != colon || !header.substring(colon + 1).matches("[0-9]{0,5}")) {
                return null;
            }
            header = header.substring(0, colon);
        }
        return header.isEmpty() ? null : header;
    }

    private static String normalise(String name) {
        String s = name.trim().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
