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
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(out, err, args);
        out.flush();
        err.flush();
        if (status == ExitCode.OK && onlyDaemonThreadsLeft()) {
            // the JVM ends as main returns, with status 0 and the shutdown hooks run, as with
            // System.exit(0) but without Runtime.exit's event logging (JDK 21+), which set up
            // the platform's logging and looked for a logger on the class path, opening the
            // 7,000-entry jar: 30-40 ms of every create and info on JDK 25
            return;
        }
        System.exit(status);
    }

    /** Whether every thread left in this thread's group but this one is a daemon (or none is left). */
    static boolean onlyDaemonThreadsLeft() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        Thread[] threads = new Thread[group.activeCount() + 8];
        int n = group.enumerate(threads, true);
        if (n == threads.length) {
            return false; // more than counted: do not guess
        }
        for (int i = 0; i < n; i++) {
            if (threads[i] != Thread.currentThread() && !threads[i].isDaemon()) {
                return false;
            }
        }
        return true;
    }

    /** Runs a command line as {@code ./jtorrent} would, printing to the given writers; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // without picocli: its classes are not in the start-up archive (trained on create and
            // info, which do without it), and loading them from the jar made this take ~0.45 s
            out.println(versionLine());
            return ExitCode.OK;
        }
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

    /**
     * This build's version, as the POM gives it (a test checks that they agree). A constant, not
     * the jar manifest's: reading that opened the 7,000-entry jar, 18 ms of every {@code create}.
     */
    static final String VERSION = "0.1.0-SNAPSHOT";

    /** "jtorrent 0.1.0": what {@code --version} prints and {@code create} writes as "created by". */
    static String versionLine() {
        return "jtorrent " + VERSION;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionLine()};
        }
    }
}
