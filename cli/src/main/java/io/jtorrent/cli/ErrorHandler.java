package io.jtorrent.cli;

import io.jtorrent.metainfo.MetainfoException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** Turns a command's exception into one line on stderr and an exit status; the trace only with --debug. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    private final boolean debug;

    ErrorHandler(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        return report(e, Main.prefix(cli), cli.getErr(), debug);
    }

    /** The one line for {@code e} on {@code err}, after {@code prefix} ("jtorrent create"); returns the exit status. */
    static int report(Exception e, String prefix, java.io.PrintWriter err, boolean debug) {
        int status;
        String message;
        if (e instanceof BadInputException || e instanceof MetainfoException) {
            status = ExitCode.BAD_INPUT;
            message = words(e);
        } else if (e instanceof NoSuchFileException n) {
            status = ExitCode.BAD_INPUT;
            message = n.getFile() + ": no such file or directory";
        } else if (e instanceof AccessDeniedException a) {
            status = ExitCode.BAD_INPUT;
            message = a.getFile() + ": permission denied";
        } else if (e instanceof FileAlreadyExistsException f) {
            status = ExitCode.BAD_INPUT;
            message = f.getFile() + ": already exists";
        } else if (e instanceof IOException) {
            status = ExitCode.BAD_INPUT;
            message = e.getMessage() != null ? words(e) : "input/output error";
        } else if (e instanceof InterruptedException) {
            status = ExitCode.INTERNAL;
            message = "interrupted";
        } else {
            status = ExitCode.INTERNAL;
            // words, not a class name: the details are behind --debug
            message = "internal error" + (e.getMessage() != null ? ": " + words(e) : "") + " (run with --debug for details)";
        }
        err.println(prefix + ": " + message);
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return status;
    }

    /** A Java class name at the start of a message ("java.net.ConnectException: "), as a wrapped exception's message has it. */
    private static final java.util.regex.Pattern CLASS_PREFIX =
            java.util.regex.Pattern.compile("(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Throwable)(?::\\s*|$)");

    /**
     * An exception's message in words for a user: a wrapper's own message (the cause's class and
     * message) unwrapped, class names taken out; "failed" when nothing else is left.
     */
    static String words(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.io.UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return "failed";
        }
        String cleaned = CLASS_PREFIX.matcher(m).replaceAll("").strip();
        return cleaned.isEmpty() ? "failed" : cleaned;
    }
}
