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
    private static final java.util.Map<String, java.util.function.Supplier<Object>> COMMANDS = commands();

    private static java.util.Map<String, java.util.function.Supplier<Object>> commands() {
        java.util.Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
        m.put("create", CreateCommand::new);
        m.put("info", InfoCommand::new);
        m.put("verify", VerifyCommand::new);
        m.put("download", DownloadCommand::new);
        m.put("demo", DemoCommand::new);
        m.put("simulate", SimulateCommand::new);
        m.put("tracker", TrackerCommand::new);
        m.put("dht", DhtCommand::new);
        m.put("seed", SeedCommand::new);
        m.put("daemon", DaemonCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
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
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Main());
        String wanted = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                wanted = a;
                break;
            }
        }
        if (wanted != null && COMMANDS.containsKey(wanted) && !wanted.equals("help")) {
            cli.addSubcommand(wanted, COMMANDS.get(wanted).get());
        } else {
            COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
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
