package io.github.grouptotp.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.PartialImportRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The rollout summary and report at scale (run: scripts/benchmark-report.sh; never part of the tests). For each
 * database (Keycloak's embedded H2 in a file, and PostgreSQL) it seeds a realm of {@value #DEFAULT_USERS} users, half
 * of them required (in /staff and its subgroups: enrolled, in grace, overdue and not seen yet), restarts Keycloak so
 * that its caches and JIT are cold, and times what an admin calls: the summary, report pages of 100 at the start,
 * middle and end and with filters, and the whole report as CSV. For the CSV it also reads the server's heap after a
 * full GC (jcmd), idle and halfway through the stream: a report that loaded every row would show there.
 */
public final class ReportBenchmark {

    static final int DEFAULT_USERS = 100_000;
    static final int USERS = Integer.getInteger("bench.users", DEFAULT_USERS);
    static final int REQUIRED = USERS / 2;
    static final int BATCH = Integer.getInteger("bench.batch", 500);
    static final String REALM = "bench-report";
    static final List<String> PHISHING_RESISTANT_UNITS = List.of("/staff/unit-2", "/staff/unit-3");
    static final String BASE = "/admin/realms/" + REALM + "/group-totp/";
    static final List<String> DATABASES = List.of(System.getProperty("bench.databases", "dev-file,postgres").split(","));
    /** The last line of {@code jcmd GC.class_histogram}: "Total <instances> <bytes>", live objects after a full GC. */
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("Total\\s+\\d+\\s+(\\d+)");

    private final Path dist = Path.of(System.getProperty("keycloak.dist.dir"));
    private final Path jar = Path.of(System.getProperty("provider.jar"));
    private final Path work = Path.of("target/bench-report").toAbsolutePath();
    private final HttpClient http = HttpClient.newHttpClient();

    private Process keycloak;
    private String baseUrl;
    private Admin admin;

    public static void main(String[] args) throws Exception {
        new ReportBenchmark().run();
        System.exit(0);
    }

    void run() throws Exception {
        ObjectNode raw = BenchmarkResults.newRaw("report");
        raw.putObject("settings").put("users", USERS).put("required", REQUIRED).put("batch", BATCH)
                .put("enrolled", REQUIRED * 4 / 10).put("inGrace", REQUIRED * 3 / 10).put("overdue", REQUIRED / 10)
                .put("notSeenYet", REQUIRED * 2 / 10).put("optional", USERS - REQUIRED - USERS / 20).put("exempt", USERS / 20);
        ArrayNode databases = raw.putArray("databases");
        for (String database : DATABASES) {
            databases.add(measure(database, raw));
        }
        BenchmarkResults.publish(raw);
    }

    // ---------------------------------------------------------------- one database

    ObjectNode measure(String database, ObjectNode raw) throws Exception {
        Path dir = work.resolve(database);
        exec(List.of("rm", "-rf", dir.toString()));
        Files.createDirectories(dir);
        Path home = dir.resolve("keycloak");
        exec(List.of("cp", "-a", dist.toString(), home.toString()));
        exec(List.of("rm", "-rf", home.resolve("data").toString()));
        KeycloakServer.deployProvider(home, jar);

        List<String> databaseOptions = List.of("--db=dev-file");
        Path postgresDir = null;
        if (database.equals("postgres")) {
            int port = KeycloakServer.freePort();
            postgresDir = Path.of("/tmp", "group-totp-bench-pg-" + port);
            exec(List.of("bash", Path.of("scripts/postgres.sh").toAbsolutePath().toString(), "start", postgresDir.toString(), String.valueOf(port)));
            databaseOptions = List.of("--db=postgres", "--db-url=jdbc:postgresql://127.0.0.1:" + port + "/keycloak",
                    "--db-username=keycloak", "--db-password=keycloak");
        }
        try {
            start(home, databaseOptions, dir.resolve("keycloak-1.log"));
            long seedStart = System.nanoTime();
            seed();
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            KeycloakServer.stop(keycloak);
            start(home, databaseOptions, dir.resolve("keycloak-2.log"));
            if (!raw.has("keycloak")) {
                raw.set("keycloak", BenchmarkResults.keycloak(admin, "start-dev, restarted after seeding"));
            }
            return report(database, seedSeconds);
        } finally {
            if (keycloak != null) {
                KeycloakServer.stop(keycloak);
            }
            if (postgresDir != null) {
                exec(List.of("bash", Path.of("scripts/postgres.sh").toAbsolutePath().toString(), "stop", postgresDir.toString()));
            }
        }
    }

    void start(Path home, List<String> databaseOptions, Path log) throws IOException {
        int httpPort = KeycloakServer.freePort();
        List<String> arguments = new ArrayList<>(List.of("start-dev", "--http-port=" + httpPort,
                "--http-management-port=" + KeycloakServer.freePort(), "--log-level=INFO"));
        arguments.addAll(databaseOptions);
        keycloak = KeycloakServer.launch(home, arguments, log, Map.of());
        baseUrl = "http://localhost:" + httpPort;
        KeycloakServer.awaitReady(keycloak, baseUrl, log);
        admin = new Admin(baseUrl, KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD);
    }

    // ---------------------------------------------------------------- seeding

    /** The demo realm's flows and config, with /staff split into 10 units of 5 teams, and the users in batches. */
    void seed() throws Exception {
        RealmRepresentation realm = Admin.demoRealm();
        realm.setRealm(REALM);
        realm.setUsers(List.of());
        realm.setEventsEnabled(false);
        realm.setAdminEventsEnabled(false);
        GroupRepresentation staff = realm.getGroups().stream().filter(g -> g.getName().equals("staff")).findFirst().orElseThrow();
        List<GroupRepresentation> units = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            GroupRepresentation unit = group("unit-" + u);
            List<GroupRepresentation> teams = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                teams.add(group("team-" + t));
            }
            unit.setSubGroups(teams);
            units.add(unit);
        }
        staff.setSubGroups(units);
        // Two phishing-resistant units, whose members hold a key or passkey (seeded below): the queries take the
        // phishing-resistant route without changing the counts.
        realm.getAuthenticatorConfig().get(0).getConfig().put("phishingResistantGroups", String.join("##", PHISHING_RESISTANT_UNITS));
        admin.keycloak().realms().create(realm);

        // Two batches at a time: one per core of the machine this was made on; each is one transaction.
        ExecutorService importers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int from = 0; from < USERS; from += BATCH) {
                int first = from;
                batches.add(importers.submit(() -> importUsers(first, Math.min(USERS, first + BATCH))));
            }
            for (Future<?> batch : batches) {
                batch.get();
            }
        } finally {
            importers.shutdownNow();
        }
    }

    private void importUsers(int first, int end) {
        List<UserRepresentation> users = new ArrayList<>();
        for (int i = first; i < end; i++) {
            users.add(user(i));
        }
        PartialImportRepresentation batch = new PartialImportRepresentation();
        batch.setIfResourceExists(PartialImportRepresentation.Policy.FAIL.name());
        batch.setUsers(users);
        try (Response response = admin.realm(REALM).partialImport(batch)) {
            if (response.getStatus() != 200) {
                throw new IllegalStateException("partial import of users " + first + " to " + end + ": " + response.getStatus()
                        + " " + response.readEntity(String.class));
            }
        }
        if (end % 10_000 == 0) {
            System.out.printf("Seeded users up to %,d of %,d%n", end, USERS);
        }
    }

    private static GroupRepresentation group(String name) {
        GroupRepresentation group = new GroupRepresentation();
        group.setName(name);
        return group;
    }

    /**
     * User {@code i}: the first half required (40 % enrolled: an app, an app, a security key, an app and a passkey;
     * 30 % in grace, 10 % overdue, 20 % not seen yet), then
     * 40 % of the rest in /extranet (a tenth of them enrolled), the last 5 % of all users exempt, the rest in no group.
     */
    static UserRepresentation user(int i) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(String.format(Locale.ROOT, "user-%06d", i));
        user.setEnabled(true);
        user.setEmail(user.getUsername() + "@example.org");
        List<CredentialRepresentation> credentials = new ArrayList<>();
        if (i < REQUIRED) {
            user.setGroups(List.of(i % 3 == 0 ? "/staff" : "/staff/unit-" + (i % 10) + "/team-" + (i % 5)));
            switch (i % 10) {
                case 0, 1 -> credentials.add(Admin.otpCredential(HmacOTP.generateSecret(20)));
                case 2 -> credentials.add(Admin.webAuthnCredential("webauthn"));
                case 3 -> {
                    credentials.add(Admin.otpCredential(HmacOTP.generateSecret(20)));
                    credentials.add(Admin.webAuthnCredential("webauthn-passwordless"));
                }
                case 4, 5, 6 -> credentials.add(Admin.graceRecord("{\"start\":\"" + Instant.now().minus(Duration.ofDays(3)) + "\"}"));
                case 7 -> credentials.add(Admin.graceRecord("{\"start\":\"" + Instant.now().minus(Duration.ofDays(30)) + "\"}"));
                default -> {
                    // not seen since the rollout: no grace record yet
                }
            }
        } else if (i < REQUIRED + (USERS - REQUIRED) * 4 / 10) {
            user.setGroups(List.of("/extranet"));
            if (i % 10 == 0) {
                credentials.add(Admin.otpCredential(HmacOTP.generateSecret(20)));
            }
        } else if (i >= USERS - USERS / 20) {
            user.setGroups(List.of("/no-smartphone"));
        }
        user.setCredentials(credentials);
        return user;
    }

    // ---------------------------------------------------------------- measuring

    /** Times the calls on a cold server: each call twice (cold, then again), with what it answered. */
    ObjectNode report(String database, double seedSeconds) throws Exception {
        ObjectNode result = BenchmarkResults.JSON.createObjectNode();
        result.put("database", database).put("seedSeconds", seedSeconds);
        ArrayNode calls = result.putArray("calls");

        Timed<JsonPath> summary = timed(() -> json("summary"));
        Timed<JsonPath> summaryAgain = timed(() -> json("summary"));
        ObjectNode counts = BenchmarkResults.JSON.createObjectNode();
        for (String key : List.of("required", "enrolled", "inGrace", "overdue", "exempt", "optional")) {
            counts.put(key, summary.value().getInt(key));
        }
        ObjectNode factors = counts.putObject("factors");
        for (String factor : List.of("otp", "webauthn", "passkey")) {
            factors.put(factor, summary.value().getInt("factors." + factor));
        }
        call(calls, "summary", "summary", summary, summaryAgain, 3).set("counts", counts);

        int inUnit7 = 0;
        for (int i = 0; i < REQUIRED; i++) {
            inUnit7 += i % 3 != 0 && i % 10 == 7 ? 1 : 0;
        }
        // The first page, the middle and the last of each listing.
        for (String query : List.of("max=100", "first=" + REQUIRED / 2 + "&max=100", "first=" + lastPage(REQUIRED) + "&max=100",
                "status=overdue&first=" + lastPage(REQUIRED / 10) + "&max=100",
                "status=grace&first=" + lastPage(REQUIRED / 2) + "&max=100",
                "status=not_enrolled&first=" + lastPage(REQUIRED * 6 / 10) + "&max=100",
                "group=/staff/unit-7&first=" + lastPage(inUnit7) + "&max=100")) {
            Timed<JsonPath> page = timed(() -> json("report?" + query));
            Timed<JsonPath> again = timed(() -> json("report?" + query));
            List<String> names = page.value().getList("users.username");
            ObjectNode call = call(calls, "page", "report?" + query, page, again, 1);
            call.put("rows", names.size());
            if (!names.isEmpty()) {
                call.put("firstRow", names.get(0)).put("lastRow", names.get(names.size() - 1));
            }
        }

        Timed<Long> csv = timed(() -> csvRows(null));
        Timed<Long> csvAgain = timed(() -> csvRows(null));
        call(calls, "csv", "report (Accept: text/csv)", csv, csvAgain, 30).put("rows", csv.value());
        long[] heap = new long[2];
        heap[0] = heapAfterFullGc();
        csvRows(rows -> {
            if (rows == REQUIRED / 2) {
                heap[1] = heapAfterFullGc();
            }
        });
        result.putObject("heapKiB").put("idle", heap[0]).put("halfwayThroughCsv", heap[1]).put("rowsWrittenThen", REQUIRED / 2);
        return result;
    }

    /** Where the last page of 100 of a listing of {@code rows} starts (0 for a realm seeded smaller than a page). */
    private static int lastPage(int rows) {
        return Math.max(0, rows - 100);
    }

    private static ObjectNode call(ArrayNode calls, String kind, String call, Timed<?> first, Timed<?> again, double targetSeconds) {
        return calls.addObject().put("kind", kind).put("call", call).put("firstSeconds", first.seconds())
                .put("againSeconds", again.seconds()).put("targetSeconds", targetSeconds);
    }

    // ---------------------------------------------------------------- reporting, from the raw file only

    /** The section of docs/benchmark-results.md, generated from the raw figures of a run. */
    static String render(JsonNode raw, String rawLink) {
        JsonNode settings = raw.get("settings");
        int users = settings.get("users").asInt();
        int required = settings.get("required").asInt();
        StringBuilder out = new StringBuilder();
        out.append("## Rollout summary and report (scripts/benchmark-report.sh)\n\n").append(BenchmarkResults.header(raw, rawLink)).append('\n');
        out.append(String.format(Locale.ROOT, "Realm: %,d users, %,d required (in /staff and 50 subgroups: %,d enrolled, %,d in grace, "
                        + "%,d overdue, %,d not seen yet), %,d optional (/extranet and no group), %,d exempt. Keycloak in "
                        + "dev mode, restarted after seeding, so every first call below runs with cold caches and a cold JIT "
                        + "(the database's own cache is warm from seeding). Each call is made twice: the first (cold) is judged. "
                        + "Targets: summary <= 3 s, a page of 100 <= 1 s, the whole CSV <= 30 s with a flat heap.%n%n",
                users, required, settings.get("enrolled").asInt(), settings.get("inGrace").asInt(), settings.get("overdue").asInt(),
                settings.get("notSeenYet").asInt(), settings.get("optional").asInt(), settings.get("exempt").asInt()));
        for (JsonNode db : raw.get("databases")) {
            out.append("### ").append(db.get("database").asText().equals("postgres") ? "PostgreSQL" : "Embedded H2 (`--db=dev-file`)").append("\n\n");
            out.append(String.format(Locale.ROOT, "Seeding (realm import of the groups, then partial imports of %,d users): %.0f s.%n%n",
                    settings.get("batch").asInt(), db.get("seedSeconds").asDouble()));
            out.append("| call | first call, cold (s) | again (s) | answer | target |\n|---|---|---|---|---|\n");
            for (JsonNode call : db.get("calls")) {
                String answer = switch (call.get("kind").asText()) {
                    case "summary" -> summaryAnswer(call.get("counts"), settings);
                    case "csv" -> String.format(Locale.ROOT, "%,d rows", call.get("rows").asLong());
                    default -> call.get("rows").asInt() == 0 ? "no rows"
                            : call.get("rows").asInt() + " rows, " + call.get("firstRow").asText() + " to " + call.get("lastRow").asText();
                };
                double first = call.get("firstSeconds").asDouble();
                double target = call.get("targetSeconds").asDouble();
                String label = call.get("kind").asText().equals("csv") ? "`report` as CSV, whole" : "`" + call.get("call").asText() + "`";
                out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s | <= %s s, %s |%n", label, first,
                        call.get("againSeconds").asDouble(), answer, target == Math.rint(target) ? String.valueOf((long) target) : String.valueOf(target),
                        BenchmarkResults.judge(first, target)));
            }
            JsonNode heap = db.get("heapKiB");
            out.append(String.format(Locale.ROOT, "%nLive server heap (jcmd GC.class_histogram, after its full GC): %d MB idle, %d MB halfway "
                    + "through the CSV (%,d of %,d rows written).%n%n", heap.get("idle").asLong() / 1024,
                    heap.get("halfwayThroughCsv").asLong() / 1024, heap.get("rowsWrittenThen").asInt(), required));
        }
        return out.toString();
    }

    /** The summary's counts, and whether they are the ones seeded. */
    private static String summaryAnswer(JsonNode counts, JsonNode settings) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("required", settings.get("required").asInt());
        expected.put("enrolled", settings.get("enrolled").asInt());
        expected.put("inGrace", settings.get("inGrace").asInt() + settings.get("notSeenYet").asInt());
        expected.put("overdue", settings.get("overdue").asInt());
        expected.put("exempt", settings.get("exempt").asInt());
        expected.put("optional", settings.get("optional").asInt());
        List<String> wrong = new ArrayList<>();
        expected.forEach((key, value) -> {
            if (counts.get(key).asInt() != value) {
                wrong.add(key + " " + counts.get(key).asInt() + " (seeded " + value + ")");
            }
        });
        int required = settings.get("required").asInt();
        Map<String, Integer> factors = Map.of("otp", required * 3 / 10, "webauthn", required / 10, "passkey", required / 10);
        factors.forEach((factor, value) -> {
            if (counts.get("factors").get(factor).asInt() != value) {
                wrong.add("factors." + factor + " " + counts.get("factors").get(factor).asInt() + " (seeded " + value + ")");
            }
        });
        return (wrong.isEmpty() ? "counts as seeded" : "WRONG: " + wrong) + String.format(Locale.ROOT,
                ": required %,d, enrolled %,d, inGrace %,d, overdue %,d", counts.get("required").asInt(), counts.get("enrolled").asInt(),
                counts.get("inGrace").asInt(), counts.get("overdue").asInt());
    }

    JsonPath json(String path) {
        return admin.request().accept("application/json").get(BASE + path).then().statusCode(200).extract().jsonPath();
    }

    interface RowListener {
        void row(long rows) throws Exception;
    }

    /** Streams the whole report as CSV and counts its rows (without the header), telling {@code listener} of each. */
    long csvRows(RowListener listener) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + BASE + "report"))
                .header("Accept", "text/csv")
                .header("Authorization", "Bearer " + admin.keycloak().tokenManager().getAccessTokenString())
                .build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("CSV report: " + response.statusCode());
        }
        long rows = -1;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            while (reader.readLine() != null) {
                rows++;
                if (listener != null) {
                    listener.row(rows);
                }
            }
        }
        return rows;
    }

    /**
     * The Keycloak JVM's live heap in KB: the histogram's full GC leaves only reachable objects, so rows a report held
     * in memory would show here (the used heap of GC.heap_info also counts whatever was allocated since).
     */
    long heapAfterFullGc() throws Exception {
        String pid = String.valueOf(KeycloakServer.jvmPid(keycloak));
        String jcmd = KeycloakServer.javaHome().resolve("bin/jcmd").toString();
        Matcher total = HISTOGRAM_TOTAL.matcher(exec(List.of(jcmd, pid, "GC.class_histogram")));
        if (!total.find()) {
            throw new IllegalStateException("no total from jcmd GC.class_histogram");
        }
        return Long.parseLong(total.group(1)) / 1024;
    }

    record Timed<T>(T value, double seconds) {
    }

    interface Call<T> {
        T call() throws Exception;
    }

    static <T> Timed<T> timed(Call<T> call) throws Exception {
        long start = System.nanoTime();
        T value = call.call();
        return new Timed<>(value, (System.nanoTime() - start) / 1e9);
    }

    static String exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
        return output;
    }
}
