package io.github.grouptotp.keycloak.enrolment;

import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.guard.LogOnce;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.keycloak.remember.RememberedBrowserCookie;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.LoginOutcome;

/**
 * Setting up an authenticator app in a login, for the flow step and the reset action alike: the secret (kept
 * server-side in the login, so a client can never choose it), the QR page, the confirmation with a code, and what
 * follows a stored authenticator (its event, the remembered browser, new recovery codes).
 *
 * <p>The confirmation never adds a second authenticator: if the user got one meanwhile (another window, or another
 * login that was faster), it answers {@link TotpCredentials.Outcome#ALREADY_ENROLLED} and the caller asks for that
 * authenticator's code, so a page left open elsewhere cannot finish a login without a second factor.
 */
public final class TotpEnrolment {

    private static final Logger LOG = Logger.getLogger(TotpEnrolment.class);

    /** The secret being enrolled. Server-side only; dies with the login. */
    static final String SECRET_NOTE = "group-totp.enrol-secret";
    /** Why this login sets up an authenticator, as recorded on its LOGIN event. */
    static final String REASON_NOTE = "group-totp.enrol-reason";

    private TotpEnrolment() {
    }

    /**
     * Shows the QR page of a new authenticator. The secret is made on first use and kept across reloads, so a user
     * who scanned it and reloads can still confirm.
     *
     * @param reason {@link LoginOutcome#ENROLLED}, {@link LoginOutcome#RESET} or {@link LoginOutcome#RECOVERY_CODE}
     */
    public static Response begin(LoginRequest request, LoginOutcome reason) {
        return begin(request, reason, null);
    }

    /** {@link #begin(LoginRequest, LoginOutcome)} with a message for the whole page or a field. */
    public static Response begin(LoginRequest request, LoginOutcome reason, FormMessage message) {
        AuthenticationSessionModel authSession = request.authSession();
        if (authSession.getAuthNote(SECRET_NOTE) == null) {
            authSession.setAuthNote(SECRET_NOTE, HmacOTP.generateSecret(20));
        }
        authSession.setAuthNote(REASON_NOTE, reason.name());
        request.record().stage(LoginRecord.Stage.ENROL);
        return page(request, message);
    }

    public static Response page(LoginRequest request, FormMessage message) {
        LoginOutcome reason = reason(request);
        var form = request.form();
        if (message == null && reason == LoginOutcome.RESET) {
            form.setInfo(TotpPages.MSG_RESET_INTRO);
        } else if (message == null && reason == LoginOutcome.RECOVERY_CODE) {
            form.setInfo(TotpPages.MSG_RECOVERY_USED_INTRO);
        }
        return TotpPages.enrol(form, request.session(), request.realm(), request.user(), request.requestUri(),
                request.authSession().getAuthNote(SECRET_NOTE), message);
    }

    /** Why this login enrols; {@link LoginOutcome#ENROLLED} unless a reset or a recovery code started it. */
    public static LoginOutcome reason(LoginRequest request) {
        String note = request.authSession().getAuthNote(REASON_NOTE);
        return note == null ? LoginOutcome.ENROLLED : LoginOutcome.valueOf(note);
    }

    /** Whether this login has an enrolment in progress (a secret was shown). */
    public static boolean inProgress(LoginRequest request) {
        return request.authSession().getAuthNote(SECRET_NOTE) != null;
    }

    /**
     * Checks the posted code against this login's secret and, if it is right and the user has no authenticator,
     * stores it (with an UPDATE_CREDENTIAL event). A wrong code here guesses nothing (only the user saw the
     * secret), so it does not count against any limit.
     */
    public static TotpCredentials.Check confirm(LoginRequest request) {
        String secret = request.authSession().getAuthNote(SECRET_NOTE);
        TotpCredentials.Check check = TotpCredentials.enrol(request.session(), request.realm(), request.user(), secret,
                request.formValue(TotpPages.FIELD_OTP));
        if (check.valid()) {
            TotpCredentials.recordEnrolment(request.event(), request.user(), check.credentialId());
        }
        if (check.valid() || check.outcome() == TotpCredentials.Outcome.ALREADY_ENROLLED) {
            request.authSession().removeAuthNote(SECRET_NOTE);
        }
        return check;
    }

    /**
     * What follows a stored authenticator: this browser is remembered, and, if the config asks for them, new
     * recovery codes are shown (their page, in {@link LoginRecord.Stage#RECOVERY_CODES}). Empty when the login can
     * finish now.
     */
    public static Optional<Response> afterEnrolment(LoginRequest request, GroupTotpConfig config, String credentialId) {
        RememberedBrowserCookie.issueIfEnabled(request.session(), request.realm(), request.user(), credentialId,
                config.rememberHours(), LoginRecord.now());
        if (config.recoveryCodes() && RecoveryCodes.available()) {
            return Optional.of(RecoveryCodes.offerNew(request));
        }
        if (config.recoveryCodes() && LogOnce.due(request.session(), "recovery-codes-feature::" + request.realm().getId())) {
            LOG.warnf("Realm '%s': the Group TOTP policy step has recovery codes on, but this Keycloak's recovery-codes "
                    + "feature is disabled (a preview feature before Keycloak 26.3: start Keycloak with "
                    + "--features=recovery-codes); no recovery codes were shown", request.realm().getName());
        }
        return Optional.empty();
    }

    /** Forgets this login's enrolment; the LOGIN outcome is recorded by the caller. */
    public static void end(LoginRequest request) {
        request.authSession().removeAuthNote(SECRET_NOTE);
        request.authSession().removeAuthNote(REASON_NOTE);
        request.authSession().removeAuthNote(RecoveryCodes.NEW_CODES_NOTE);
        request.record().endStage();
    }
}
