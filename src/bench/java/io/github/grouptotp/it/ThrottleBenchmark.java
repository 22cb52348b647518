package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * How many code guesses one script gets with a known password, with brute-force detection off (Keycloak's
 * default), against one real Keycloak (run: scripts/benchmark-throttle.sh; never part of the tests). The script
 * guesses through the direct grant, the cheapest route, as fast as the server answers, for {@code bench.minutes}
 * (default 31, so that the limit's window passes twice), and counts the guesses the server actually checked.
 */
public final class ThrottleBenchmark {

    static final String REALM = "bench-throttle";
    static final int MINUTES = Integer.getInteger("bench.minutes", 31);

    public static void main(String[] args) throws Exception {
        KeycloakServer server = KeycloakServer.get();
        RealmRepresentation realm = Admin.demoRealm();
        realm.setRealm(REALM);
        realm.setUsers(null);
        realm.setBruteForceProtected(false);
        server.admin().importRealm(realm);
        String password = "pw-" + UUID.randomUUID();
        server.admin().createUser(REALM, "victim", password, List.of(Admin.otpCredential(HmacOTP.generateSecret(20))), "/staff");

        ObjectNode raw = BenchmarkResults.newRaw("throttle");
        raw.set("keycloak", BenchmarkResults.keycloak(server.admin(), "start-dev (in-memory H2), one node"));
        int limit = io.github.grouptotp.policy.CodeGuessLimit.MAX_WRONG_CODES;
        raw.putObject("settings").put("minutes", MINUTES).put("route", "direct grant (password grant of admin-cli)")
                .put("bruteForceProtected", false).put("limit", limit)
                .put("limitWindowMinutes", io.github.grouptotp.policy.CodeGuessLimit.WINDOW.toMinutes());

        Instant start = Instant.now();
        Instant end = start.plus(Duration.ofMinutes(MINUTES));
        long refused = 0;
        long guess = 0;
        ArrayNode checkedAtMillis = raw.putArray("checkedAtMillis");
        while (Instant.now().isBefore(end)) {
            Instant sent = Instant.now();
            Response response = given().baseUri(server.baseUrl())
                    .formParam("grant_type", "password").formParam("client_id", "admin-cli")
                    .formParam("username", "victim").formParam("password", password)
                    .formParam("totp", String.format(Locale.ROOT, "%06d", guess++ % 1_000_000))
                    .post("/realms/{realm}/protocol/openid-connect/token", REALM);
            String description = response.jsonPath().getString("error_description");
            if (response.statusCode() == 200) {
                throw new IllegalStateException("a guess hit a valid code after " + guess + " tries");
            } else if (description != null && description.startsWith("Too many wrong codes")) {
                refused++;
            } else {
                checkedAtMillis.add(Duration.between(start, sent).toMillis());
            }
        }
        raw.put("requests", guess).put("refused", refused).put("checked", checkedAtMillis.size())
                .put("seconds", Duration.between(start, Instant.now()).toMillis() / 1000.0);
        BenchmarkResults.publish(raw);
        System.exit(0);
    }

    /** The section of docs/benchmark-results.md, generated from the raw figures of a run. */
    static String render(JsonNode raw, String rawLink) {
        int limit = raw.get("settings").get("limit").asInt();
        int window = raw.get("settings").get("limitWindowMinutes").asInt();
        int perHour = limit * 60 / window;
        List<Long> checkedAt = new java.util.ArrayList<>();
        raw.get("checkedAtMillis").forEach(t -> checkedAt.add(t.asLong()));
        double minutes = raw.get("seconds").asDouble() / 60;
        long requests = raw.get("requests").asLong();
        // The shortest time in which one more code than the limit was checked: at least the limit's window.
        Long shortest = null;
        for (int i = 0; i + limit < checkedAt.size(); i++) {
            long span = checkedAt.get(i + limit) - checkedAt.get(i);
            shortest = shortest == null || span < shortest ? span : shortest;
        }
        String timeline = checkedAt.stream().map(t -> String.format(Locale.ROOT, "%.2f", t / 60_000.0))
                .collect(java.util.stream.Collectors.joining(" "));
        return String.format(Locale.ROOT, """
                ## Code guessing (scripts/benchmark-throttle.sh)

                %s
                One script, one user with a known password, brute-force detection off, guessing through the direct
                grant for %.1f minutes: %d requests, %d codes checked, %d refused unchecked (per-user limit).
                Minutes at which a guess was checked: %s

                The shortest time in which %d codes were checked: %s (the limit: %d in any %d minutes, so at most %d in
                any hour).
                With 3 codes valid at a time (the code of the current 30-second step and one either side) out of
                10^6, a script at %d guesses an hour needs on average 10^6 / 3 / %d = %.0f hours (%.1f years) to hit one.
                The script made %.1f requests a second (each one with the right password); all but the checked ones
                were refused without looking at the code.
                """,
                BenchmarkResults.header(raw, rawLink), minutes, requests, checkedAt.size(), raw.get("refused").asLong(), timeline,
                limit + 1, shortest == null ? "never, in this run" : String.format(Locale.ROOT, "%.1f s", shortest / 1000.0), limit,
                window, perHour,
                perHour, perHour, 1_000_000 / 3.0 / perHour, 1_000_000 / 3.0 / perHour / 24 / 365, requests / (minutes * 60));
    }

    private ThrottleBenchmark() {
    }
}
