package io.github.grouptotp.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;

import io.github.grouptotp.bench.PolicyDecisionBenchmark;

/**
 * Where the benchmarks' figures go. A run writes its raw figures (every round, every call, every timestamp) as JSON to
 * {@code <output>/benchmark-raw/<benchmark>-<UTC date and time>.json}, then reads that file back and generates its
 * section of {@code <output>/benchmark-results.md} from it, between the section's own markers, so that running one
 * benchmark replaces its figures and keeps the others'. {@code <output>} is {@code docs}, or {@code -Dbench.output}
 * (e.g. {@code target/bench} for a trial run whose figures should not reach the docs).
 *
 * <p>{@code main} regenerates sections from raw files: {@code scripts/benchmark-render.sh docs/benchmark-raw/X.json}.
 */
public final class BenchmarkResults {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private BenchmarkResults() {
    }

    /** Regenerates the section of each raw file given, in the results file beside its benchmark-raw/ folder. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: BenchmarkResults docs/benchmark-raw/<benchmark>-<date>.json ...");
        }
        for (String arg : args) {
            Path raw = Path.of(arg).toAbsolutePath();
            writeSection(raw.getParent().getParent().resolve("benchmark-results.md"), raw);
        }
    }

    static Path outputDir() {
        return Path.of(System.getProperty("bench.output", "docs"));
    }

    /** A new raw document: the benchmark's name, when it ran, and the machine it ran on. */
    public static ObjectNode newRaw(String benchmark) throws IOException {
        ObjectNode raw = JSON.createObjectNode();
        raw.put("benchmark", benchmark);
        raw.put("started", Instant.now().toString());
        raw.set("machine", machine());
        return raw;
    }

    /** Writes the raw figures, then this benchmark's section of the results, generated from the file just written. */
    public static Path publish(ObjectNode raw) throws IOException {
        raw.put("finished", Instant.now().toString());
        Path dir = outputDir().resolve("benchmark-raw");
        Files.createDirectories(dir);
        Path file = dir.resolve(raw.get("benchmark").asText() + "-" + STAMP.format(Instant.parse(raw.get("started").asText())) + ".json");
        JSON.writeValue(file.toFile(), raw);
        System.out.println("Raw figures written to " + file);
        writeSection(outputDir().resolve("benchmark-results.md"), file);
        return file;
    }

    private static void writeSection(Path results, Path rawFile) throws IOException {
        JsonNode raw = JSON.readTree(rawFile.toFile());
        String benchmark = raw.get("benchmark").asText();
        String rawLink = results.toAbsolutePath().getParent().relativize(rawFile.toAbsolutePath()).toString();
        String markdown = switch (benchmark) {
            case "logins" -> LoginBenchmark.render(raw, rawLink);
            case "report" -> ReportBenchmark.render(raw, rawLink);
            case "throttle" -> ThrottleBenchmark.render(raw, rawLink);
            case "policy" -> PolicyDecisionBenchmark.render(raw, rawLink);
            default -> throw new IllegalArgumentException("unknown benchmark " + benchmark + " in " + rawFile);
        };
        System.out.println(markdown);
        replaceSection(results, benchmark, markdown);
    }

    static void replaceSection(Path file, String section, String markdown) throws IOException {
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
        System.out.println("Section '" + section + "' written to " + file);
    }

    // ---------------------------------------------------------------- what it ran on, read at run time

    /** This machine: CPU model and cores (/proc/cpuinfo), memory (/proc/meminfo), the benchmark JVM's Java, the OS. */
    static ObjectNode machine() throws IOException {
        ObjectNode machine = JSON.createObjectNode();
        List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
        machine.put("cpu", cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown"));
        machine.put("cpus", cpuinfo.stream().filter(l -> l.startsWith("processor")).count());
        machine.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        machine.put("memoryKiB", Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L));
        machine.put("javaVersion", System.getProperty("java.version"));
        machine.put("javaVendor", System.getProperty("java.vendor"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return machine;
    }

    /** What the running server says of itself (the master realm's serverinfo): its version and the Java it runs on. */
    static ObjectNode keycloak(Admin admin, String mode) {
        JsonPath info = admin.request().accept("application/json").get("/admin/serverinfo").then().statusCode(200).extract().jsonPath();
        ObjectNode keycloak = JSON.createObjectNode();
        keycloak.put("version", info.getString("systemInfo.version"));
        keycloak.put("javaVersion", info.getString("systemInfo.javaVersion"));
        keycloak.put("javaVendor", info.getString("systemInfo.javaVendor"));
        keycloak.put("mode", mode);
        return keycloak;
    }

    /** The lines every section starts with: when, on what machine, which Keycloak, where the raw figures are. */
    public static String header(JsonNode raw, String rawLink) {
        JsonNode m = raw.get("machine");
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Run: %s to %s (UTC). Machine: %s, %d cores, %.1f GiB RAM, %s; benchmark JVM Java %s (%s).%n",
                raw.get("started").asText().substring(0, 16).replace('T', ' '),
                raw.path("finished").asText("?").length() >= 16 ? raw.get("finished").asText().substring(11, 16) : "?",
                m.get("cpu").asText(), m.get("availableProcessors").asInt(), m.get("memoryKiB").asLong() / 1024.0 / 1024.0,
                m.get("os").asText(), m.get("javaVersion").asText(), m.get("javaVendor").asText()));
        JsonNode k = raw.get("keycloak");
        if (k != null) {
            out.append(String.format(Locale.ROOT, "Keycloak %s (as its serverinfo reports), %s, on Java %s.%n",
                    k.get("version").asText(), k.get("mode").asText(), k.get("javaVersion").asText()));
        }
        out.append("Raw figures: [`").append(rawLink).append("`](").append(rawLink).append(").\n");
        return out.toString();
    }

    /** "met" or "missed" for a figure against an upper bound. */
    static String judge(double value, double atMost) {
        return value <= atMost ? "met" : "MISSED";
    }
}
