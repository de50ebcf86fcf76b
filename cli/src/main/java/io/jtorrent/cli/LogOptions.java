package io.jtorrent.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --log-level} and {@code --log-file} for the commands that run for long (download, seed,
 * demo, tracker, dht, daemon). They take effect while the command line is read, before anything
 * logs: the logger (SLF4J's simple one) reads its settings once, at its first use.
 */
final class LogOptions {
    private static final List<String> LEVELS = List.of("off", "error", "warn", "info", "debug", "trace");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "How much the log says: off, error, warn (the default), info, debug or trace.")
    void level(String level) {
        String l = level.toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(l)) {
            throw new ParameterException(spec.commandLine(), "--log-level: " + level + " is not one of " + String.join(", ", LEVELS));
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", l);
    }

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Append the log to FILE (with dates) instead of writing it to stderr; progress and errors stay on the terminal.")
    void file(Path file) {
        PrintStream log;
        try {
            log = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--log-file: cannot write " + file + ": " + e.getMessage());
        }
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        // the logger writes to whatever System.err is when it logs; the command's own messages were
        // bound to the terminal's stderr before the command line was read
        System.setErr(log);
    }
}
