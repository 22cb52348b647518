package io.github.grouptotp.keycloak;

import io.micrometer.core.instrument.Metrics;
import org.keycloak.models.RealmModel;

import io.github.grouptotp.policy.LoginOutcome;

/**
 * Logins that passed the step, by realm and outcome, in Keycloak's own Micrometer registry (Quarkus puts it behind
 * Micrometer's global registry; exposed on the management port's {@code /metrics} with {@code --metrics-enabled=true}):
 * {@code group_totp_logins_total{realm="...",outcome="verified"}}. No per-user labels.
 */
public final class LoginMetrics {

    private LoginMetrics() {
    }

    public static void passed(RealmModel realm, LoginOutcome outcome) {
        Metrics.counter("group.totp.logins", "realm", realm.getName(), "outcome", outcome.eventDetail()).increment();
    }
}
