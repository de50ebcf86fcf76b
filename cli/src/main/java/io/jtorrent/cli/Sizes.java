package io.jtorrent.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Byte counts as people write and read them: {@code 256K}, {@code 1MiB}, {@code 1.5 GB}. */
final class Sizes {
    private Sizes() {}

    /** Parses a size: digits with an optional binary unit (K, M, G, T; KB/KiB alike mean 1024). */
    static long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 16384, 256K, 4MiB)");
        }
        double number = Double.parseDouble(t.substring(0, i));
        String unit = t.substring(i).replace("IB", "").replace("B", "");
        long multiplier = switch (unit) {
            case "" -> 1;
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            case "T" -> 1L << 40;
            default -> throw new IllegalArgumentException("'" + text + "': unknown unit (use K, M, G or T)");
        };
        return Math.round(number * multiplier);
    }

    /** A size for people: {@code 1.5 GiB}, {@code 300 B}. */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        int decimals = v == Math.rint(v) || v >= 100 ? 0 : v >= 10 ? 1 : 2;
        return fixed(v, decimals) + " " + units[u];
    }

    /**
     * {@code v} rounded half-up to {@code decimals} places ({@code %.Nf} in the root locale), without
     * a Formatter: building one is a few milliseconds of a cold start, and {@code info} prints sizes.
     */
    static String fixed(double v, int decimals) {
        long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
        long scaled = java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP)
                .movePointRight(decimals).longValueExact();
        if (decimals == 0) {
            return Long.toString(scaled);
        }
        String frac = Long.toString(scaled % scale);
        return (scaled / scale) + "." + (frac.length() < decimals ? "0" + frac : frac);
    }

    /** picocli converter for size options. */
    static final class Converter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value);
        }
    }
}
