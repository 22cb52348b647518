package io.github.grouptotp.keycloak.guard;

import org.keycloak.models.KeycloakSession;

/**
 * Rate-limits a log line that a misconfiguration or a broken record would repeat at every login: at most once per
 * key every 10 minutes, across the cluster (Keycloak's single-use store), so the log stays readable at a thousand
 * logins a minute.
 */
public final class LogOnce {

    static final long PERIOD_SECONDS = 600;
    private static final String PREFIX = "group-totp-log::";

    private LogOnce() {
    }

    /** Whether the line for {@code key} may be logged now; true at most once per key and period. */
    public static boolean due(KeycloakSession session, String key) {
        return session.singleUseObjects().putIfAbsent(PREFIX + key, PERIOD_SECONDS);
    }
}
