package io.jtorrent.cli;

/** The exit statuses every command uses. */
final class ExitCode {
    static final int OK = 0;
    /** The command ran, and the answer is no (verification found bad data). */
    static final int NEGATIVE = 1;
    /** Bad usage or bad input (an invalid torrent, a missing file). */
    static final int BAD_INPUT = 2;
    /** A bug. */
    static final int INTERNAL = 3;

    private ExitCode() {}
}
