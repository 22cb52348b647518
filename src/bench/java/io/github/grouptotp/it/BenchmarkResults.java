package io.github.grouptotp.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code docs/benchmark-results.md} holds one section per benchmark between its own markers, so that running one
 * benchmark replaces its figures and keeps the others'.
 */
final class BenchmarkResults {

    private BenchmarkResults() {
    }

    static void write(String section, String markdown) throws IOException {
        Path file = Path.of(System.getProperty("bench.results", "docs/benchmark-results.md"));
        String begin = "<!-- " + section + ": begin -->";
        String end = "<!-- " + section + ": end -->";
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmark results\n";
        String block = begin + "\n" + markdown.strip() + "\n" + end;
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        text = from >= 0 && to > from
                ? text.substring(0, from) + block + text.substring(to + end.length())
                : text.stripTrailing() + "\n\n" + block + "\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
        System.out.println("Written to " + file);
    }
}
