package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Sizes as the CLI prints them: the same digits as {@code %.Nf}, without a Formatter. */
class SizesTest {
    @Property(tries = 2000)
    void fixedPrintsWhatPrintfPrints(@ForAll("values") double v, @ForAll @IntRange(min = 0, max = 2) int decimals) {
        assertThat(Sizes.fixed(v, decimals)).as("%s to %d places", v, decimals)
                .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", v));
    }

    @Provide
    Arbitrary<Double> values() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 2000),
                Arbitraries.doubles().between(0, 0.01),
                Arbitraries.doubles().between(0, 2e7),
                // ties and carries: 0.005, 0.995, 9.995, 99.995, 999.5 ...
                Arbitraries.of(0.0, 0.005, 0.015, 0.125, 0.995, 1.005, 9.995, 99.995, 999.5, 999.995, 1023.9999, 0.0005, 1e-9,
                        9_999_999.995));
    }

    @Test
    void roundingCarriesAndTinyValues() {
        assertThat(Sizes.fixed(9.996, 2)).isEqualTo("10.00");
        assertThat(Sizes.fixed(999.5, 0)).isEqualTo("1000");
        assertThat(Sizes.fixed(0.0004, 2)).isEqualTo("0.00");
        assertThat(Sizes.fixed(0.05, 1)).isEqualTo("0.1");
    }

    @Test
    void theVersionIsThePomsAndAThreadCheckSeesNonDaemonThreads() throws Exception {
        assertThat(Main.VERSION).as("Main.VERSION must follow the POM's version").isEqualTo(System.getProperty("jtorrent.projectVersion"));
        ThreadGroup group = new ThreadGroup("only-these");
        boolean[] seen = new boolean[2];
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread check = new Thread(group, () -> {
            seen[0] = Main.onlyDaemonThreadsLeft();
            Thread busy = new Thread(group, () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.start();
            seen[1] = Main.onlyDaemonThreadsLeft();
            release.countDown();
        });
        check.start();
        check.join(10_000);
        assertThat(seen[0]).as("alone in its group").isTrue();
        assertThat(seen[1]).as("beside a thread that is not a daemon").isFalse();
    }
}
