package io.jtorrent.trackerserver;

import io.jtorrent.net.Transport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Sets {@link Transport#PROPERTY} for the servers a test makes, and gives it back afterwards. */
final class AskedTransport {
    private AskedTransport() {
    }

    /** Asks for {@code transport}; returns what was asked before, for {@link #restore}. */
    static String ask(String transport) {
        String before = System.getProperty(Transport.PROPERTY);
        System.setProperty(Transport.PROPERTY, transport);
        return before;
    }

    static void restore(String before) {
        if (before == null) {
            System.clearProperty(Transport.PROPERTY);
        } else {
            System.setProperty(Transport.PROPERTY, before);
        }
    }

    /**
     * A test class's servers on io_uring (the launcher's transport for `tracker`), with
     * {@code @ExtendWith(AskedTransport.IoUring.class)}; the class is aborted where io_uring does
     * not load.
     */
    static final class IoUring implements BeforeAllCallback, AfterAllCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(IoUring.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            String before = ask("io_uring");
            if (Transport.kind() != Transport.Kind.IO_URING) {
                restore(before);
                Assumptions.abort("io_uring is not available here: " + io.netty.channel.uring.IoUring.unavailabilityCause());
            }
            context.getStore(NS).put("before", before == null ? "" : before);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            String before = context.getStore(NS).remove("before", String.class);
            if (before != null) {
                restore(before.isEmpty() ? null : before);
            }
        }
    }
}
