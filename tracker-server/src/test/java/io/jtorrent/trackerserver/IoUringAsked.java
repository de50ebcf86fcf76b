package io.jtorrent.trackerserver;

import io.jtorrent.net.Transport;
import org.junit.jupiter.api.Assumptions;

/**
 * Asks for io_uring (the launcher's transport for `tracker`) for the servers a test class makes,
 * and gives the property back afterwards; aborts the class where io_uring does not load.
 */
final class IoUringAsked {
    private static String before;

    private IoUringAsked() {
    }

    static void ask() {
        before = System.getProperty(Transport.PROPERTY);
        System.setProperty(Transport.PROPERTY, "io_uring");
        if (Transport.kind() != Transport.Kind.IO_URING) {
            restore();
            Assumptions.abort("io_uring is not available here: " + io.netty.channel.uring.IoUring.unavailabilityCause());
        }
    }

    static void restore() {
        if (before == null) {
            System.clearProperty(Transport.PROPERTY);
        } else {
            System.setProperty(Transport.PROPERTY, before);
        }
    }
}
