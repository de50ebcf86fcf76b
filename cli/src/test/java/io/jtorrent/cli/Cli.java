package io.jtorrent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process as {@code ./jtorrent ARGS} would, capturing what it prints. */
record Cli(int status, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(status, out.toString(), err.toString());
    }
}
