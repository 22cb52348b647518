package io.github.grouptotp.keycloak.steps;

import java.time.Instant;

import jakarta.ws.rs.core.Response;

import io.github.grouptotp.policy.LoginOutcome;

/** What a page handler answers; each route's adapter maps it onto its Keycloak context. */
public sealed interface StepResult {

    /** Show this page; the login waits for its answer (an error page ends it: it only links to a new login). */
    record Show(Response page) implements StepResult {
    }

    /**
     * The step is done for this login.
     *
     * @param outcome    how the user passed, for the LOGIN event; null when this only confirmed what the login had
     * @param deadline   the grace deadline, when the user skipped enrolment
     * @param usedFactor whether a second factor was used or set up (Keycloak records which credential type passed)
     */
    record Done(LoginOutcome outcome, Instant deadline, boolean usedFactor) implements StepResult {

        static Done with(LoginOutcome outcome) {
            return new Done(outcome, null, true);
        }

        static Done without(LoginOutcome outcome) {
            return new Done(outcome, null, false);
        }
    }
}
