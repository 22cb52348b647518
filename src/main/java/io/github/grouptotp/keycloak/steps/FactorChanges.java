package io.github.grouptotp.keycloak.steps;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.reset.PendingReset;

/**
 * The rule, in one place for every route: once a user has a second factor, a new one is only set up after a proof
 * in the same login: a fresh code of the current app, an unused recovery code, or an admin's reset (with its
 * one-time pass where one was issued; a reset an admin assigned by hand is the admin's own decision). A password,
 * an e-mail link or a remembered browser is no proof.
 */
final class FactorChanges {

    private FactorChanges() {
    }

    /** Whether this login may set up a new factor in place of the user's factors (none, for a first enrolment). */
    static boolean mayReplace(LoginRequest request) {
        LoginRecord record = request.record();
        if (record.proof().isPresent()) {
            return true;
        }
        if (record.boundReset().filter(id -> PendingReset.stillPending(request.user(), id, LoginRecord.now())).isPresent()) {
            return true;
        }
        // A first enrolment: nothing to replace, and no factor lost by a route the extension could not veto.
        return !SecondFactors.has(request.user()) && !SecondFactors.hadOne(request.user());
    }
}
