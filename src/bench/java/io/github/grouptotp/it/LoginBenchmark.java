package io.github.grouptotp.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
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
 * remembered browser, (d) a login with no second factor. Every round measures every mode in both realms, back to
 * back (modes rotated from round to round, the realms' order alternating), so that a ratio taken within one round
 * compares figures measured minutes apart. Server CPU per login is read from the Keycloak process (/proc).
 *
 * <p><b>One statistic for every ratio:</b> the median over the rounds of the ratio within each round (of (b) to (a),
 * of the large realm to the small one, ...). It pairs figures measured under the same load, which on a shared machine
 * moves from round to round, and the median keeps one disturbed round from moving it. The ratio of the medians is
 * shown beside it where the two differ; targets are judged on the median of per-round ratios.
 *
 * <p>Seeding 10 000 users through the admin API is only practical with cheap password hashing, so both
 * benchmark realms use pbkdf2-sha256 with 1 iteration. That makes the step's own cost a larger share of a
 * login than with Keycloak's default Argon2, so the ratios are stricter than in production.
 *
 * <p>Every block's figures (logins, seconds, CPU ticks, errors, each login's step time) go to the raw file; the
 * section of docs/benchmark-results.md is generated from that file ({@link #render}).
 */
public final class LoginBenchmark {

    static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    static final int LOGINS_PER_MODE = Integer.getInteger("bench.logins", 60);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 4);
    /** Enrolled users per realm: enough that every code login finds a user with an unused code in this 30 s step. */
    static final int POOL = Integer.getInteger("bench.pool", 500);
    static final int LARGE_USERS = Integer.getInteger("bench.users", 10_000);
    static final int LARGE_GROUPS = Integer.getInteger("bench.groups", 1000);
    static final int BURST_LOGINS = Integer.getInteger("bench.burst", 100);
    static final int BURST_CONCURRENCY = Integer.getInteger("bench.burst.concurrency", 50);
    static final String PASSWORD = "bench-password-1";
    static final List<String> MODES = List.of("a", "b", "c", "d");
    static final double STEP_TARGET = 1.05;
    static final double SCALE_TARGET = 1.1;

    record Realm(String name, int groups, int users, List<Account> enrolled, List<Account> plain) {
    }

    /** A user with their app and the browser they enrolled in (remembered for mode c). */
    record Account(String username, AuthenticatorApp app, Browser rememberedBrowser) {
    }

    record Sample(boolean ok, long stepNanos) {
    }

    private final KeycloakServer server = KeycloakServer.get();
    private final Admin admin = server.admin();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger counter = new AtomicInteger();
    private final long clockTicksPerSecond = clockTicksPerSecond();

    public static void main(String[] args) throws Exception {
        new LoginBenchmark().run();
        System.exit(0);
    }

    void run() throws Exception {
        ObjectNode raw = BenchmarkResults.newRaw("logins");
        raw.set("keycloak", BenchmarkResults.keycloak(admin, "start-dev (in-memory H2), one node"));
        ObjectNode settings = raw.putObject("settings");
        settings.put("rounds", ROUNDS).put("loginsPerMode", LOGINS_PER_MODE).put("concurrency", CONCURRENCY)
                .put("warmupLoginsPerMode", LOGINS_PER_MODE / 4).put("enrolledPool", POOL)
                .put("burstLogins", BURST_LOGINS).put("burstConcurrency", BURST_CONCURRENCY)
                .put("clockTicksPerSecond", clockTicksPerSecond)
                .put("passwordPolicy", "hashAlgorithm(pbkdf2-sha256) and hashIterations(1)");
        Realm small = seed("bench-small", 10, POOL + 40, false);
        Realm large = seed("bench-large", LARGE_GROUPS, LARGE_USERS, true);
        ArrayNode realms = raw.putArray("realms");
        for (Realm realm : List.of(small, large)) {
            realms.addObject().put("name", realm.name()).put("groups", realm.groups()).put("users", realm.users());
        }
        measure(List.of(small, large), raw.putArray("blocks"));
        raw.set("burst", burst(large));
        BenchmarkResults.publish(raw);
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
        return new Realm(name, groups, users, enrolled, plain);
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

    /**
     * Warm-up (not recorded), then {@link #ROUNDS} rounds; each round runs every mode in both realms, the modes
     * rotated by one from round to round and the realms' order alternating. Each block goes to {@code blocks}.
     */
    void measure(List<Realm> realms, ArrayNode blocks) throws Exception {
        for (Realm realm : realms) {
            System.out.printf("Warming up %s...%n", realm.name());
            for (String mode : MODES) {
                runMode(realm, mode, LOGINS_PER_MODE / 4);
            }
        }
        for (int round = 0; round < ROUNDS; round++) {
            System.out.printf("Round %d of %d...%n", round + 1, ROUNDS);
            List<Realm> order = round % 2 == 0 ? realms : List.of(realms.get(1), realms.get(0));
            int position = 0;
            for (Realm realm : order) {
                for (int i = 0; i < MODES.size(); i++) {
                    String mode = MODES.get((round + i) % MODES.size());
                    ObjectNode block = runMode(realm, mode, LOGINS_PER_MODE);
                    block.put("round", round).put("position", position++);
                    blocks.add(block);
                }
            }
        }
    }

    /** One block of {@code logins} logins in one mode: its wall time, the server's CPU ticks, errors, step times. */
    ObjectNode runMode(Realm realm, String mode, int logins) throws Exception {
        long cpuBefore = cpuTicks();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        List<Future<Sample>> futures = new ArrayList<>();
        for (int i = 0; i < logins; i++) {
            futures.add(pool.submit(() -> login(realm, mode)));
        }
        ObjectNode block = json.createObjectNode();
        block.put("realm", realm.name()).put("mode", mode).put("logins", logins);
        ArrayNode stepMillis = json.createArrayNode();
        int errors = 0;
        for (Future<Sample> f : futures) {
            Sample s = f.get();
            if (s.ok()) {
                stepMillis.add(Math.round(s.stepNanos() / 1e4) / 100.0);
            } else {
                errors++;
            }
        }
        pool.shutdown();
        block.put("seconds", (System.nanoTime() - start) / 1e9);
        block.put("serverCpuTicks", cpuTicks() - cpuBefore);
        block.put("errors", errors);
        block.set("stepMillis", stepMillis);
        return block;
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

    ObjectNode burst(Realm realm) throws Exception {
        System.out.printf("Burst: %d logins, %d at a time...%n", BURST_LOGINS, BURST_CONCURRENCY);
        ExecutorService pool = Executors.newFixedThreadPool(BURST_CONCURRENCY);
        List<Future<Sample>> futures = new ArrayList<>();
        for (int i = 0; i < BURST_LOGINS; i++) {
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
        ObjectNode burst = json.createObjectNode();
        burst.put("realm", realm.name()).put("modes", "b,d").put("logins", BURST_LOGINS).put("concurrency", BURST_CONCURRENCY)
                .put("errors", errors);
        return burst;
    }

    // ---------------------------------------------------------------- reporting, from the raw file only

    /** One block's figures, as read back from the raw file. */
    record Block(String realm, String mode, int round, int logins, double seconds, double cpuMsPerLogin, int errors, List<Double> stepMillis) {
        double loginsPerSecond() {
            return logins / seconds;
        }
    }

    /** A ratio by the chosen statistic (median of per-round ratios) and by the other (ratio of medians). */
    record Ratio(double medianOfRoundRatios, double ratioOfMedians) {
        /** The chosen figure, with the ratio of medians in brackets where it differs at two decimals. */
        String show() {
            String chosen = String.format(Locale.ROOT, "%.2f", medianOfRoundRatios);
            String other = String.format(Locale.ROOT, "%.2f", ratioOfMedians);
            return chosen.equals(other) ? chosen : chosen + " [" + other + "]";
        }
    }

    /** The section of docs/benchmark-results.md, generated from the raw figures of a run. */
    static String render(JsonNode raw, String rawLink) {
        JsonNode settings = raw.get("settings");
        double ticksPerSecond = settings.get("clockTicksPerSecond").asDouble();
        List<Block> blocks = new ArrayList<>();
        for (JsonNode b : raw.get("blocks")) {
            List<Double> steps = new ArrayList<>();
            b.get("stepMillis").forEach(v -> steps.add(v.asDouble()));
            blocks.add(new Block(b.get("realm").asText(), b.get("mode").asText(), b.get("round").asInt(), b.get("logins").asInt(),
                    b.get("seconds").asDouble(), b.get("serverCpuTicks").asDouble() * 1000 / ticksPerSecond / b.get("logins").asInt(),
                    b.get("errors").asInt(), steps));
        }
        int rounds = settings.get("rounds").asInt();
        StringBuilder out = new StringBuilder();
        out.append("## Logins (scripts/benchmark-logins.sh)\n\n").append(BenchmarkResults.header(raw, rawLink)).append('\n');
        out.append(String.format(Locale.ROOT, "Settings: %d rounds x %d logins per mode and realm (after %d warm-up logins each), "
                        + "concurrency %d; every round runs all modes in both realms back to back (modes rotated, realms alternating). "
                        + "Passwords hashed with %s in both realms.%n%n",
                rounds, settings.get("loginsPerMode").asInt(), settings.get("warmupLoginsPerMode").asInt(),
                settings.get("concurrency").asInt(), settings.get("passwordPolicy").asText()));
        out.append("**Statistic.** Every ratio below is the median over the rounds of the ratio within each round; where the "
                + "ratio of the medians differs, it follows in [brackets]. Targets are judged on the median of per-round ratios. "
                + "logins/s and CPU ms/login are medians over the rounds; step p50/p95/p99 are over every login of every round.\n\n");
        List<String> realmNames = new ArrayList<>();
        raw.get("realms").forEach(r -> realmNames.add(r.get("name").asText()));
        for (JsonNode realm : raw.get("realms")) {
            String name = realm.get("name").asText();
            out.append(String.format(Locale.ROOT, "### %s (%,d users, %,d groups)%n%n", name, realm.get("users").asInt(), realm.get("groups").asInt()));
            out.append("| mode | logins/s | ratio to (a) | server CPU ms/login | ratio to (a) | step p50 ms | p95 ms | p99 ms | errors |\n");
            out.append("|---|---|---|---|---|---|---|---|---|\n");
            for (String mode : MODES) {
                List<Double> steps = new ArrayList<>();
                select(blocks, name, mode).forEach(b -> steps.addAll(b.stepMillis()));
                Collections.sort(steps);
                out.append(String.format(Locale.ROOT, "| (%s) %s | %.1f | %s | %.1f | %s | %.1f | %.1f | %.1f | %d |%n",
                        mode, describe(mode),
                        median(values(blocks, name, mode, Block::loginsPerSecond)),
                        ratio(blocks, rounds, name, mode, name, "a", Block::loginsPerSecond).show(),
                        median(values(blocks, name, mode, Block::cpuMsPerLogin)),
                        ratio(blocks, rounds, name, mode, name, "a", Block::cpuMsPerLogin).show(),
                        percentile(steps, 50), percentile(steps, 95), percentile(steps, 99),
                        select(blocks, name, mode).stream().mapToInt(Block::errors).sum()));
            }
            Ratio ba = ratio(blocks, rounds, name, "b", name, "a", Block::cpuMsPerLogin);
            Ratio cd = ratio(blocks, rounds, name, "c", name, "d", Block::cpuMsPerLogin);
            out.append(String.format(Locale.ROOT, "%nServer CPU per login: (b)/(a) %s (target: at most %.2f, %s); (c)/(d) %s (target: at most %.2f, %s)%n%n",
                    ba.show(), STEP_TARGET, BenchmarkResults.judge(ba.medianOfRoundRatios(), STEP_TARGET),
                    cd.show(), STEP_TARGET, BenchmarkResults.judge(cd.medianOfRoundRatios(), STEP_TARGET)));
        }
        if (realmNames.size() == 2) {
            String small = realmNames.get(0);
            String large = realmNames.get(1);
            List<String> parts = new ArrayList<>();
            double worst = 0;
            for (String mode : MODES) {
                Ratio r = ratio(blocks, rounds, large, mode, small, mode, Block::cpuMsPerLogin);
                parts.add("(" + mode + ") " + r.show());
                worst = Math.max(worst, r.medianOfRoundRatios());
            }
            out.append(String.format(Locale.ROOT, "Large realm / small realm, server CPU per login: %s (target: at most %.1f, %s)%n%n",
                    String.join(", ", parts), SCALE_TARGET, BenchmarkResults.judge(worst, SCALE_TARGET)));
        }
        JsonNode burst = raw.get("burst");
        out.append(String.format(Locale.ROOT, "%d concurrent logins (%d logins, modes b and d, %s): %d errors (target: 0, %s)%n",
                burst.get("concurrency").asInt(), burst.get("logins").asInt(), burst.get("realm").asText(), burst.get("errors").asInt(),
                burst.get("errors").asInt() == 0 ? "met" : "MISSED"));
        return out.toString();
    }

    static List<Block> select(List<Block> blocks, String realm, String mode) {
        return blocks.stream().filter(b -> b.realm().equals(realm) && b.mode().equals(mode)).toList();
    }

    static List<Double> values(List<Block> blocks, String realm, String mode, java.util.function.ToDoubleFunction<Block> metric) {
        return select(blocks, realm, mode).stream().map(metric::applyAsDouble).toList();
    }

    /** {@code metric} of (realm, mode) over (refRealm, refMode): per round, then the median; and the ratio of the medians. */
    static Ratio ratio(List<Block> blocks, int rounds, String realm, String mode, String refRealm, String refMode,
            java.util.function.ToDoubleFunction<Block> metric) {
        List<Double> perRound = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            int r = round;
            Block b = select(blocks, realm, mode).stream().filter(x -> x.round() == r).findFirst().orElseThrow();
            Block ref = select(blocks, refRealm, refMode).stream().filter(x -> x.round() == r).findFirst().orElseThrow();
            perRound.add(metric.applyAsDouble(b) / metric.applyAsDouble(ref));
        }
        return new Ratio(median(perRound), median(values(blocks, realm, mode, metric)) / median(values(blocks, refRealm, refMode, metric)));
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

    static double percentile(List<Double> sortedMillis, int p) {
        if (sortedMillis.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedMillis.size()) - 1;
        return sortedMillis.get(Math.max(0, index));
    }

    /** USER_HZ, the unit of /proc/<pid>/stat's utime and stime (getconf CLK_TCK; 100 on Linux). */
    static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }

    /** utime + stime of the Keycloak JVM, in clock ticks ({@link #clockTicksPerSecond}). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + server.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
