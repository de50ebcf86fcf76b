package io.jtorrent.cli;

import picocli.CommandLine;

/** Bad usage: one line saying what is wrong and where to get help, exit status 2. */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    private final boolean debug;

    UsageErrorHandler(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println(Main.prefix(cli) + ": " + e.getMessage());
        cli.getErr().println("Try 'jtorrent " + (cli.getParent() == null ? "" : cli.getCommandName() + " ") + "--help'.");
        if (debug) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().flush();
        return ExitCode.BAD_INPUT;
    }
}
