package io.jtorrent.cli;

import picocli.CommandLine;

/** Rates as users write them: {@code 500k}, {@code 2M}, {@code 1048576} (bytes per second). */
final class Rates {
    private Rates() {}

    static final class Converter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim();
            if (v.endsWith("/s")) {
                v = v.substring(0, v.length() - 2);
            }
            long n = Sizes.parse(v);
            if (n < 0) {
                throw new IllegalArgumentException("'" + value + "' is negative");
            }
            return n;
        }
    }

    static String format(long bytesPerSecond) {
        return Sizes.format(bytesPerSecond) + "/s";
    }
}
