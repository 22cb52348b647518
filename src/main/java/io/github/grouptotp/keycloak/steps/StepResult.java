package io.github.grouptotp.keycloak.steps;

import java.time.Instant;

import jakarta.ws.rs.core.Response;

import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.SecondFactor;

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
     * @param usedFactor the second factor used or set up, if any (Keycloak records its credential type as passed)
     */
    record Done(LoginOutcome outcome, Instant deadline, SecondFactor usedFactor) implements StepResult {

        /** Done with the authenticator app's code. */
        static Done with(LoginOutcome outcome) {
            return new Done(outcome, null, SecondFactor.OTP);
        }

        static Done with(LoginOutcome outcome, SecondFactor factor) {
            return new Done(outcome, null, factor);
        }

        static Done without(LoginOutcome outcome) {
            return new Done(outcome, null, null);
        }
    }
}
