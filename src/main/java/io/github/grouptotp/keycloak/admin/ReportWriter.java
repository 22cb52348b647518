package io.github.grouptotp.keycloak.admin;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.ws.rs.core.StreamingOutput;

import io.github.grouptotp.keycloak.rollout.RolloutReport.Row;
import io.github.grouptotp.policy.SecondFactor;

/**
 * The report's rows as the admin resource writes them: JSON objects, or CSV streamed row by row as the rows are
 * read. One list of columns gives the JSON keys, the CSV header and the order of both.
 */
final class ReportWriter {

    static final String CSV = "text/csv";

    private record Column(String name, Function<Row, Object> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("username", Row::username),
            new Column("id", Row::id),
            new Column("enrolled", row -> row.status().enrolled()),
            new Column("graceStart", row -> row.status().graceStart().map(Instant::toString).orElse(null)),
            new Column("deadline", row -> row.status().deadline().map(Instant::toString).orElse(null)),
            new Column("daysLeft", row -> row.status().daysLeft()),
            new Column("overdue", row -> row.status().overdue()),
            new Column("graceGranted", row -> row.status().graceGranted()),
            // Added after the first release's columns, so that scripts reading CSV columns by position go on working.
            new Column("factors", row -> row.factors().stream().sorted().map(SecondFactor::configName).collect(Collectors.joining(";"))),
            new Column("phishingResistantRequired", Row::phishingResistantRequired),
            new Column("phishingResistant", Row::phishingResistant));

    private ReportWriter() {
    }

    static Map<String, Object> json(Row row) {
        Map<String, Object> json = new LinkedHashMap<>();
        COLUMNS.forEach(column -> json.put(column.name(), column.value().apply(row)));
        return json;
    }

    /** The header and then every row, each line ended by CRLF; the rows are opened when the answer is written. */
    static StreamingOutput csv(Supplier<Stream<Row>> rows) {
        return out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write(COLUMNS.stream().map(Column::name).collect(Collectors.joining(",")));
            writer.write("\r\n");
            try (Stream<Row> report = rows.get()) {
                for (Row row : (Iterable<Row>) report::iterator) {
                    writer.write(COLUMNS.stream().map(column -> csvField(column.value().apply(row))).collect(Collectors.joining(",")));
                    writer.write("\r\n");
                }
            }
            writer.flush();
        };
    }

    /** Quotes a field when needed, and defuses spreadsheet formulas (=, +, -, @) in user-controlled text. */
    private static String csvField(Object value) {
        String safe = value == null ? "" : String.valueOf(value);
        if (!safe.isEmpty() && "=+-@".indexOf(safe.charAt(0)) >= 0) {
            safe = "'" + safe;
        }
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            safe = "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
