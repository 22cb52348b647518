package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

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

        Instant start = Instant.now();
        Instant end = start.plus(Duration.ofMinutes(MINUTES));
        long checked = 0;
        long refused = 0;
        long guess = 0;
        List<Instant> checkedAt = new java.util.ArrayList<>();
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
                checked++;
                checkedAt.add(sent);
            }
        }
        double minutes = Duration.between(start, Instant.now()).toMillis() / 60_000.0;
        // The shortest time in which one more code than the limit was checked: at least the limit's window.
        int limit = io.github.grouptotp.policy.CodeGuessLimit.MAX_WRONG_CODES;
        Duration shortest = null;
        for (int i = 0; i + limit < checkedAt.size(); i++) {
            Duration span = Duration.between(checkedAt.get(i), checkedAt.get(i + limit));
            shortest = shortest == null || span.compareTo(shortest) < 0 ? span : shortest;
        }
        String timeline = checkedAt.stream()
                .map(t -> String.format(Locale.ROOT, "%.2f", Duration.between(start, t).toMillis() / 60_000.0))
                .collect(java.util.stream.Collectors.joining(" "));
        String out = String.format(Locale.ROOT, """
                ## Code guessing (scripts/benchmark-throttle.sh)

                %s
                One script, one user with a known password, brute-force detection off, guessing through the direct
                grant for %.1f minutes: %d requests, %d codes checked, %d refused unchecked (per-user limit).
                Minutes at which a guess was checked: %s

                The shortest time in which %d codes were checked: %s (the limit: %d in any 15 minutes, so at most 40 in
                any hour).
                With 3 codes valid at a time (the code of the current 30-second step and one either side) out of
                10^6, a script at 40 guesses an hour needs on average 10^6 / 3 / 40 = %.0f hours (%.1f years) to hit one.
                The script made %.1f requests a second (each one with the right password); all but the checked ones
                were refused without looking at the code.
                """,
                LoginBenchmark.machine(), minutes, checked + refused, checked, refused, timeline,
                limit + 1, shortest == null ? "never, in this run" : String.format(Locale.ROOT, "%.1f s", shortest.toMillis() / 1000.0), limit,
                1_000_000 / 3.0 / 40, 1_000_000 / 3.0 / 40 / 24 / 365, (checked + refused) / (minutes * 60));
        System.out.println(out);
        BenchmarkResults.write("throttle", out);
        System.exit(0);
    }

    private ThrottleBenchmark() {
    }
}
