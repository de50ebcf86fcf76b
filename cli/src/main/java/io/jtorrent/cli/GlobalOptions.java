package io.jtorrent.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class GlobalOptions {
    @Option(names = "--debug", description = "Print stack traces with errors.")
    boolean debug;
}
