package io.github.grouptotp.keycloak.steps;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.TotpEnrolment;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.keycloak.remember.RememberedBrowserCookie;
import io.github.grouptotp.keycloak.reset.PendingReset;
import io.github.grouptotp.policy.LoginOutcome;

/**
 * The QR page of a new authenticator ({@link LoginRecord.Stage#ENROL}), for a first enrolment, after a recovery code,
 * and for a reset. Whether the login may replace the user's factors is decided in {@link FactorChanges}, here, for
 * every route; what it replaces is removed only when the new one is confirmed.
 */
final class EnrolPage {

    private static final Logger LOG = Logger.getLogger(EnrolPage.class);

    private EnrolPage() {
    }

    static StepResult begin(LoginRequest request, LoginOutcome reason, FormMessage message) {
        if (!FactorChanges.mayReplace(request)) {
            LOG.errorf("user %s: an enrolment that would replace a second factor without proof was refused", request.user().getId());
            return new StepResult.Show(ErrorPages.sessionExpired(request));
        }
        return new StepResult.Show(TotpEnrolment.begin(request, reason, message));
    }

    static StepResult answer(LoginRequest request) {
        if (!TotpEnrolment.inProgress(request)) {
            return new StepResult.Show(ErrorPages.sessionExpired(request));
        }
        LoginOutcome reason = TotpEnrolment.reason(request);
        TotpEnrolment.Confirmation confirmation = TotpEnrolment.confirm(request, completion(request, reason));
        return switch (confirmation.outcome()) {
            case MISSING_OR_MALFORMED -> page(request, confirmation.problem());
            // The secret is known to the user only, so a wrong code here guesses nothing: not a failed attempt.
            case INVALID -> page(request, new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ENROL_CODE_INVALID));
            case BUSY -> page(request, new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ENROL_BUSY));
            // Set up meanwhile (another window, or another login that was faster): that authenticator's code is needed.
            case ALREADY_ENROLLED -> ProofPages.login(request, new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ALREADY_ENROLLED), null);
            case VOID -> new StepResult.Show(reason == LoginOutcome.RESET ? ErrorPages.resetExpired(request) : ErrorPages.sessionExpired(request));
            case VALID -> enrolled(request, reason, confirmation.credentialId());
        };
    }

    private static StepResult page(LoginRequest request, FormMessage message) {
        return new StepResult.Show(TotpEnrolment.page(request, message));
    }

    /** A reset is completed by its enrolment, in the same transaction, and only while it is the reset this login passed. */
    private static TotpEnrolment.Completion completion(LoginRequest request, LoginOutcome reason) {
        Optional<String> reset = request.record().boundReset();
        if (reason != LoginOutcome.RESET || reset.isEmpty()) {
            return TotpEnrolment.Completion.NONE;
        }
        return new TotpEnrolment.Completion() {
            @Override
            public boolean stillValid(UserModel user) {
                return PendingReset.stillPending(user, reset.get(), LoginRecord.now());
            }

            @Override
            public void complete(UserModel user) {
                PendingReset.complete(user);
            }
        };
    }

    /** What follows a stored authenticator: this browser is remembered, and new recovery codes if the config asks. */
    private static StepResult enrolled(LoginRequest request, LoginOutcome reason, String credentialId) {
        if (reason == LoginOutcome.RESET && request.record().boundReset().isPresent()) {
            PendingReset.completedEvent(request.event(), request.user());
        }
        RememberedBrowserCookie.issueIfEnabled(request.session(), request.realm(), request.user(), credentialId,
                request.config().rememberHours(), LoginRecord.now());
        return RecoveryCodesPage.offer(request).orElseGet(() -> StepResult.Done.with(reason));
    }
}
