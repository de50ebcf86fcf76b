package io.jtorrent.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code jtorrent}: the command-line client. Exit status: 0 success, 1 a negative result (data
 * failed verification), 2 bad usage or bad input, 3 an internal error (a bug: please report it).
 */
@Command(name = "jtorrent",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A complete BitTorrent client: create, inspect, verify, download and seed torrents.",
        subcommands = {CreateCommand.class, InfoCommand.class, VerifyCommand.class, DownloadCommand.class, DemoCommand.class, TrackerCommand.class, DhtCommand.class,
                SeedCommand.class, DaemonCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    GlobalOptions global;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line as {@code ./jtorrent} would, printing to the given writers; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new ErrorHandler(debug))
                .setParameterExceptionHandler(new UsageErrorHandler(debug));
        return cli.execute(args);
    }

    @Override
    public void run() {
        // every command, as registered: the list cannot fall behind the commands
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** "jtorrent" or "jtorrent create": how error lines start. */
    static String prefix(CommandLine cli) {
        return cli.getParent() == null ? "jtorrent" : "jtorrent " + cli.getCommandName();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jtorrent " + (v != null ? v : "0.1.0-SNAPSHOT")};
        }
    }
}
