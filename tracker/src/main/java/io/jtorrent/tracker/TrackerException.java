package io.jtorrent.tracker;

/**
 * An announce that did not work: a {@code failure reason} from the tracker, an HTTP error, a
 * malformed response, or a network problem. Never fatal to a torrent: it is reported as an event
 * and the announce is retried later.
 */
public final class TrackerException extends Exception {
    private final boolean failureReason;

    public TrackerException(String message, boolean failureReason) {
        super(message);
        this.failureReason = failureReason;
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
        this.failureReason = false;
    }

    /** Whether the tracker itself refused (a {@code failure reason}), rather than being unreachable. */
    public boolean isFailureReason() {
        return failureReason;
    }
}
