package io.github.grouptotp.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.util.JsonSerialization;

/**
 * Login benchmark against one real Keycloak (run: scripts/benchmark-logins.sh; never part of the tests). For a
 * large realm (10 000 users, 1 000 groups, some users in 200 groups, a /staff tree three levels deep) and a small
 * one (10 groups) it measures, with the same client and concurrency:
 * (a) Keycloak's stock browser flow with its OTP form, (b) this step asking a code, (c) this step with a
 * remembered browser, (d) a login with no second factor. Modes run in rotated rounds; each figure is the median
 * of the per-round ratios to (a). Server CPU per login is read from the Keycloak process (/proc).
 *
 * <p>Seeding 10 000 users through the admin API is only practical with cheap password hashing, so both
 * benchmark realms use pbkdf2-sha256 with 1 iteration. That makes the step's own cost a larger share of a
 * login than with Keycloak's default Argon2, so the ratios are stricter than in production.
 */
public final class LoginBenchmark {

    static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    static final int LOGINS_PER_MODE = Integer.getInteger("bench.logins", 60);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 4);
    /** Enrolled users per realm: enough that every code login finds a user with an unused code in this 30 s step. */
    static final int POOL = Integer.getInteger("bench.pool", 500);
    static final int LARGE_USERS = Integer.getInteger("bench.users", 10_000);
    static final String PASSWORD = "bench-password-1";
    static final List<String> MODES = List.of("a", "b", "c", "d");

    record Realm(String name, List<Account> enrolled, List<Account> plain) {
    }

    /** A user with their app and the browser they enrolled in (remembered for mode c). */
    record Account(String username, AuthenticatorApp app, Browser rememberedBrowser) {
    }

    record Sample(boolean ok, long stepNanos) {
    }

    record ModeResult(double loginsPerSecond, double cpuMsPerLogin, List<Long> stepNanos, int errors) {
    }

    private final KeycloakServer server = KeycloakServer.get();
    private final Admin admin = server.admin();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger counter = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        new LoginBenchmark().run();
        System.exit(0);
    }

    void run() throws Exception {
        Realm small = seed("bench-small", 10, POOL + 40, false);
        Realm large = seed("bench-large", 1000, LARGE_USERS, true);
        StringBuilder out = new StringBuilder();
        out.append("## Logins (scripts/benchmark-logins.sh)\n\n").append(machine()).append('\n');
        out.append(String.format(Locale.ROOT, "Settings: %d rounds x %d logins per mode, concurrency %d, one Keycloak %s in dev mode.%n%n",
                ROUNDS, LOGINS_PER_MODE, CONCURRENCY, "26.7.3"));
        Map<String, Double> smallCpu = null;
        for (Realm realm : List.of(small, large)) {
            Map<String, List<ModeResult>> results = measure(realm);
            out.append(table(realm, results));
            Map<String, Double> cpu = new java.util.HashMap<>();
            MODES.forEach(m -> cpu.put(m, median(results.get(m).stream().map(ModeResult::cpuMsPerLogin).toList())));
            if (smallCpu == null) {
                smallCpu = cpu;
            } else {
                out.append(String.format(Locale.ROOT, "Large realm / small realm, median server CPU per login: "
                                + "(a) %.2f, (b) %.2f, (c) %.2f, (d) %.2f (target: at most 1.1)%n%n",
                        cpu.get("a") / smallCpu.get("a"), cpu.get("b") / smallCpu.get("b"),
                        cpu.get("c") / smallCpu.get("c"), cpu.get("d") / smallCpu.get("d")));
            }
        }
        out.append(burst(large));
        System.out.println(out);
        BenchmarkResults.write("logins", out.toString());
    }

    // ---------------------------------------------------------------- seeding

    Realm seed(String name, int groups, int users, boolean bigMemberships) throws Exception {
        System.out.printf("Seeding %s: %d groups, %d users...%n", name, groups, users);
        ObjectNode realm = (ObjectNode) json.readTree(Files.readString(Path.of(System.getProperty("realm.file"))));
        realm.put("realm", name);
        realm.remove("users");
        realm.put("passwordPolicy", "hashAlgorithm(pbkdf2-sha256) and hashIterations(1)");
        realm.put("bruteForceProtected", false);
        realm.put("eventsEnabled", false);
        ((ObjectNode) realm.get("authenticatorConfig").get(0).get("config")).put("recoveryCodes", "false");
        // /staff three levels deep, plus other groups up to the count.
        ArrayNode groupReps = json.createArrayNode();
        ObjectNode staff = groupReps.addObject().put("name", "staff");
        ArrayNode level1 = staff.putArray("subGroups");
        int made = 1;
        for (int i = 0; i < 3 && made < groups; i++, made++) {
            ArrayNode level2 = level1.addObject().put("name", "unit-" + i).putArray("subGroups");
            for (int j = 0; j < 3 && made < groups; j++, made++) {
                level2.addObject().put("name", "team-" + j);
            }
        }
        groupReps.addObject().put("name", "extranet");
        groupReps.addObject().put("name", "no-smartphone");
        made += 2;
        for (int g = 0; made < groups; g++, made++) {
            groupReps.addObject().put("name", "department-" + g);
        }
        realm.set("groups", groupReps);
        // Users: imported in the realm file (fast), with plain passwords hashed cheaply by the realm policy.
        ArrayNode userReps = realm.putArray("users");
        for (int u = 0; u < users; u++) {
            ObjectNode user = userReps.addObject()
                    .put("username", "u" + u).put("enabled", true).put("email", "u" + u + "@example.org")
                    .put("emailVerified", true).put("firstName", "Bench").put("lastName", "User" + u);
            user.putArray("credentials").addObject().put("type", "password").put("value", PASSWORD).put("temporary", false);
            ArrayNode memberOf = user.putArray("groups");
            if (u < POOL) {
                memberOf.add("/staff/unit-0/team-0");
            } else if (u < POOL + 40) {
                memberOf.add("/extranet");
            } else {
                memberOf.add(u % 2 == 0 ? "/staff" : "/department-" + (u % Math.max(1, groups - 15)));
            }
            if (bigMemberships && u < 20) {
                for (int g = 0; g < 199 && g < groups - 15; g++) {
                    memberOf.add("/department-" + g);
                }
            }
        }
        admin.importRealm(JsonSerialization.readValue(realm.toString(), RealmRepresentation.class));
        String stockFlow = admin.realm(name).flows().getFlows().stream()
                .filter(f -> "browser".equals(f.getAlias())).findFirst().orElseThrow().getId();
        ClientRepresentation client = TestApp.get().client();
        client.setClientId("bench-stock");
        client.setAuthenticationFlowBindingOverrides(Map.of("browser", stockFlow));
        admin.realm(name).clients().create(client).close();

        List<Account> enrolled = new ArrayList<>();
        for (int u = 0; u < POOL; u++) {
            enrolled.add(enrol(name, "u" + u));
        }
        List<Account> plain = new ArrayList<>();
        for (int u = POOL; u < POOL + 40; u++) {
            plain.add(new Account("u" + u, null, null));
        }
        return new Realm(name, enrolled, plain);
    }

    Account enrol(String realm, String username) {
        Browser browser = new Browser();
        Page page = browser.submit(browser.get(KeycloakIT.authUrl(server.baseUrl(), realm)), "#kc-form-login",
                Map.of("username", username, "password", PASSWORD));
        if (page.has("#group-totp-grace-form")) {
            page = browser.submit(page, "#group-totp-grace-form", Map.of("enrol", ""));
        }
        AuthenticatorApp app = AuthenticatorApp.fromKey(page.text("#kc-totp-secret-key"));
        page = browser.submit(page, "#group-totp-enrol-form", Map.of("otp", app.freshCode()));
        if (!page.loggedIn()) {
            throw new IllegalStateException("enrolment failed for " + username + ": " + page);
        }
        return new Account(username, app, browser);
    }

    // ---------------------------------------------------------------- measuring

    Map<String, List<ModeResult>> measure(Realm realm) throws Exception {
        System.out.printf("Measuring %s...%n", realm.name());
        Map<String, List<ModeResult>> results = new java.util.HashMap<>();
        MODES.forEach(m -> results.put(m, new ArrayList<>()));
        for (String mode : MODES) {
            runMode(realm, mode, LOGINS_PER_MODE / 4); // warm-up, not recorded
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < MODES.size(); i++) {
                String mode = MODES.get((round + i) % MODES.size());
                results.get(mode).add(runMode(realm, mode, LOGINS_PER_MODE));
            }
        }
        return results;
    }

    ModeResult runMode(Realm realm, String mode, int logins) throws Exception {
        long cpuBefore = cpuTicks();
        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        List<Future<Sample>> futures = new ArrayList<>();
        for (int i = 0; i < logins; i++) {
            futures.add(pool.submit(() -> login(realm, mode)));
        }
        List<Long> stepNanos = new ArrayList<>();
        int errors = 0;
        for (Future<Sample> f : futures) {
            Sample s = f.get();
            if (s.ok()) {
                stepNanos.add(s.stepNanos());
            } else {
                errors++;
            }
        }
        pool.shutdown();
        double seconds = Duration.between(start, Instant.now()).toNanos() / 1e9;
        double cpuMs = (cpuTicks() - cpuBefore) * 1000.0 / 100 / logins;
        return new ModeResult(logins / seconds, cpuMs, stepNanos, errors);
    }

    /** One full browser login in the given mode; times the request that settles the second factor. */
    Sample login(Realm realm, String mode) {
        int n = counter.getAndIncrement();
        try {
            switch (mode) {
                case "a", "b" -> {
                    // A code is single-use: take the next user whose app still has an unused code in this step.
                    Account account = null;
                    String code = null;
                    for (int i = 0; i < realm.enrolled().size() && code == null; i++) {
                        account = realm.enrolled().get((n + i) % realm.enrolled().size());
                        code = account.app().tryFreshCode().orElse(null);
                    }
                    if (code == null) {
                        throw new IllegalStateException("benchmark pool too small: no unused code left in this step");
                    }
                    Browser browser = new Browser();
                    String auth = KeycloakIT.authUrl(server.baseUrl(), realm.name());
                    if (mode.equals("a")) {
                        auth = auth.replace("client_id=" + TestApp.CLIENT_ID, "client_id=bench-stock");
                    }
                    Page codePage = browser.submit(browser.get(auth), "#kc-form-login",
                            Map.of("username", account.username(), "password", PASSWORD));
                    String form = mode.equals("a") ? "#kc-otp-login-form" : "#group-totp-code-form";
                    long t0 = System.nanoTime();
                    Page done = browser.submit(codePage, form, Map.of("otp", code));
                    return new Sample(done.loggedIn(), System.nanoTime() - t0);
                }
                case "c" -> {
                    Account account = realm.enrolled().get(n % realm.enrolled().size());
                    Browser browser;
                    synchronized (account) {
                        browser = account.rememberedBrowser().copy();
                    }
                    browser.restart();
                    return passwordOnly(browser, realm, account.username());
                }
                default -> {
                    Account account = realm.plain().get(n % realm.plain().size());
                    return passwordOnly(new Browser(), realm, account.username());
                }
            }
        } catch (RuntimeException | AssertionError e) {
            System.err.println("login failed (" + mode + "): " + e.getMessage().lines().findFirst().orElse(""));
            return new Sample(false, 0);
        }
    }

    /** Modes c and d have no code request: the password request is the one that runs the step. */
    Sample passwordOnly(Browser browser, Realm realm, String username) {
        Page login = browser.get(KeycloakIT.authUrl(server.baseUrl(), realm.name()));
        long t0 = System.nanoTime();
        Page done = browser.submit(login, "#kc-form-login", Map.of("username", username, "password", PASSWORD));
        return new Sample(done.loggedIn(), System.nanoTime() - t0);
    }

    String burst(Realm realm) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<Sample>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String mode = i % 2 == 0 ? "b" : "d";
            futures.add(pool.submit(() -> login(realm, mode)));
        }
        int errors = 0;
        for (Future<Sample> f : futures) {
            if (!f.get().ok()) {
                errors++;
            }
        }
        pool.shutdown();
        return String.format(Locale.ROOT, "50 concurrent logins (100 logins, modes b and d, large realm): %d errors (target: 0)%n",
                errors);
    }

    // ---------------------------------------------------------------- reporting

    String table(Realm realm, Map<String, List<ModeResult>> results) {
        StringBuilder t = new StringBuilder();
        t.append("### ").append(realm.name()).append("\n\n");
        t.append("| mode | logins/s | ratio to (a) | server CPU ms/login | ratio to (a) | step p50 ms | p95 ms | p99 ms | errors |\n");
        t.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String mode : MODES) {
            List<ModeResult> rounds = results.get(mode);
            List<Double> tputRatio = new ArrayList<>();
            List<Double> cpuRatio = new ArrayList<>();
            for (int r = 0; r < rounds.size(); r++) {
                tputRatio.add(rounds.get(r).loginsPerSecond() / results.get("a").get(r).loginsPerSecond());
                cpuRatio.add(rounds.get(r).cpuMsPerLogin() / results.get("a").get(r).cpuMsPerLogin());
            }
            List<Long> all = new ArrayList<>();
            rounds.forEach(r -> all.addAll(r.stepNanos()));
            Collections.sort(all);
            t.append(String.format(Locale.ROOT, "| (%s) %s | %.1f | %.2f | %.1f | %.2f | %.1f | %.1f | %.1f | %d |%n",
                    mode, describe(mode),
                    median(rounds.stream().map(ModeResult::loginsPerSecond).toList()), median(tputRatio),
                    median(rounds.stream().map(ModeResult::cpuMsPerLogin).toList()), median(cpuRatio),
                    percentile(all, 50), percentile(all, 95), percentile(all, 99),
                    rounds.stream().mapToInt(ModeResult::errors).sum()));
        }
        List<Double> cOverD = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            cOverD.add(results.get("c").get(r).cpuMsPerLogin() / results.get("d").get(r).cpuMsPerLogin());
        }
        t.append(String.format(Locale.ROOT, "%nMedian server CPU per login: (b)/(a) %.2f (target: at most 1.05); (c)/(d) %.2f (target: at most 1.05)%n%n",
                median(results.get("b").stream().map(ModeResult::cpuMsPerLogin).toList())
                        / median(results.get("a").stream().map(ModeResult::cpuMsPerLogin).toList()),
                median(cOverD)));
        return t.toString();
    }

    static String describe(String mode) {
        return switch (mode) {
            case "a" -> "stock browser flow, OTP form";
            case "b" -> "this step, code";
            case "c" -> "this step, remembered browser";
            default -> "no second factor";
        };
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double percentile(List<Long> sortedNanos, int p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, index)) / 1e6;
    }

    /** utime + stime of the Keycloak JVM, in clock ticks (1/100 s on Linux). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + server.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("unknown CPU");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        return String.format(Locale.ROOT, "Machine: %d cores (%s), %s, Java %s, %s.%n", Runtime.getRuntime().availableProcessors(), cpu, mem,
                System.getProperty("java.version"), Instant.now().toString().substring(0, 10));
    }
}
