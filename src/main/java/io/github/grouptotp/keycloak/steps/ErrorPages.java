package io.github.grouptotp.keycloak.steps;

import jakarta.ws.rs.core.Response;

import org.keycloak.events.Errors;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.pages.TotpPages;

/** The pages that end a login: they say why and link to a new one; nothing posted to them is accepted. */
final class ErrorPages {

    /** LOGIN_ERROR error when a user who had a second factor has none and no reset is pending. */
    static final String FACTOR_REMOVED_EVENT_ERROR = "group_totp_factor_removed";

    private ErrorPages() {
    }

    static Response tooManyWrong(LoginRequest request) {
        request.record().endStage();
        return TotpPages.error(request.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES);
    }

    /** A POST for a page this login never showed, or one that no longer applies. */
    static Response sessionExpired(LoginRequest request) {
        request.record().endStage();
        request.loginErrorEvent().error(Errors.INVALID_AUTHENTICATION_SESSION);
        return TotpPages.error(request.form(), TotpPages.MSG_SESSION_EXPIRED);
    }

    /** The reset this login went on under expired, was completed or was replaced: ask for a new one. */
    static Response resetExpired(LoginRequest request) {
        request.record().endStage();
        request.loginErrorEvent().error(LoginRecord.RESET_PASS_EXPIRED_EVENT_ERROR);
        return TotpPages.error(request.form(), TotpPages.MSG_RESET_PASS_EXPIRED);
    }

    /** The user's second factor disappeared by a route the extension cannot veto: the help desk, not a QR code. */
    static Response factorLost(LoginRequest request) {
        request.record().endStage();
        request.loginErrorEvent().error(FACTOR_REMOVED_EVENT_ERROR);
        return TotpPages.error(request.form(), TotpPages.MSG_FACTOR_LOST);
    }
}
