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
        description = "A complete BitTorrent client: create, inspect, verify, download and seed torrents.")
public final class Main implements java.util.concurrent.Callable<Integer> {
    /**
     * The commands, in the order help lists them. Only the one asked for is built (picocli reads
     * each command's annotations when it is added, about 30 ms a command on a cold JVM: most of
     * `info`'s start-up time); all of them for help, usage errors and no command at all.
     */
    private static final String[] COMMANDS = {"create", "info", "verify", "download", "demo", "simulate", "tracker", "dht",
        "seed", "daemon", "help"};

    /** The command named {@code name}, or null. A switch, not a table of lambdas: each lambda costs a cold start a millisecond. */
    private static Object command(String name) {
        return switch (name) {
            case "create" -> new CreateCommand();
            case "info" -> new InfoCommand();
            case "verify" -> new VerifyCommand();
            case "download" -> new DownloadCommand();
            case "demo" -> new DemoCommand();
            case "simulate" -> new SimulateCommand();
            case "tracker" -> new TrackerCommand();
            case "dht" -> new DhtCommand();
            case "seed" -> new SeedCommand();
            case "daemon" -> new DaemonCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> null;
        };
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    GlobalOptions global;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line as {@code ./jtorrent} would, printing to the given writers; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Integer plain = InfoCommand.plain(out, args);
        if (plain == null) {
            plain = CreateCommand.plain(out, err, args);
        }
        if (plain != null) {
            return plain;
        }
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Main());
        String wanted = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                wanted = a;
                break;
            }
        }
        Object one = wanted == null || wanted.equals("help") ? null : command(wanted);
        if (one != null) {
            cli.addSubcommand(wanted, one);
        } else {
            for (String name : COMMANDS) {
                cli.addSubcommand(name, command(name));
            }
        }
        // set after the commands are added: picocli applies these to the subcommands present
        cli.setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new ErrorHandler(debug))
                .setParameterExceptionHandler(new UsageErrorHandler(debug));
        return cli.execute(args);
    }

    /** No command given: every command with what it does (the help, on stderr), status 2. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("jtorrent: a command is required");
        spec.commandLine().usage(err); // every command, as registered: the list cannot fall behind the commands
        err.flush();
        return ExitCode.BAD_INPUT;
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
