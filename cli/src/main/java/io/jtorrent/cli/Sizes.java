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
     * {@code v} (not negative) rounded half-up to {@code decimals} (0 to 2) places, as {@code %.Nf}
     * prints it in the root locale, without a Formatter or a BigDecimal: a Formatter's first use is
     * a few milliseconds of a cold start, and BigDecimal's (its BigInteger's class set-up) 20 ms.
     * Like both, it rounds the shortest decimal that reads back as {@code v} ({@link Double#toString}).
     */
    static String fixed(double v, int decimals) {
        if (!(v >= 0) || v >= 1e7 || decimals < 0 || decimals > 2) {
            return java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP).toPlainString();
        }
        String d = Double.toString(v); // plain "123.456" below 10^7, "1.0E-4" below 10^-3
        int e = d.indexOf('E');
        if (e >= 0) { // below 10^-3: rounds to zero at two places
            return decimals == 0 ? "0" : decimals == 1 ? "0.0" : "0.00";
        }
        int dot = d.indexOf('.');
        char[] digits = (d.substring(0, dot) + d.substring(dot + 1) + "000").toCharArray();
        int keep = dot + decimals; // digits kept, the integer part's and the fraction's
        boolean up = digits[keep] >= '5';
        int i = keep - 1;
        while (up && i >= 0) {
            if (digits[i] == '9') {
                digits[i--] = '0';
            } else {
                digits[i]++;
                up = false;
            }
        }
        String kept = (up ? "1" : "") + new String(digits, 0, keep);
        int intDigits = kept.length() - decimals;
        return decimals == 0 ? kept : kept.substring(0, intDigits) + "." + kept.substring(intDigits);
    }

    /** picocli converter for size options. */
    static final class Converter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value);
        }
    }
}
