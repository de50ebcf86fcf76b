package io.jtorrent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SimulationTest {
    static String run(Simulation.Config c) throws Exception {
        StringWriter s = new StringWriter();
        PrintWriter out = new PrintWriter(s);
        Simulation.Result r = Simulation.run(c, p -> out.printf(java.util.Locale.ROOT, "%.1f %.3f %d%n", p.seconds(), p.fraction(), p.done()));
        new SimReport(r).print(out);
        out.flush();
        return s.toString();
    }

    @Test
    void basicSwarmCompletesVerified() throws Exception {
        long t0 = System.nanoTime();
        String out = run(Simulation.Config.basic(20, 8 << 20, 1));
        System.out.println(out);
        System.out.println("wall " + (System.nanoTime() - t0) / 1e9);
        assertThat(out).contains("simulation complete:");
    }
}
