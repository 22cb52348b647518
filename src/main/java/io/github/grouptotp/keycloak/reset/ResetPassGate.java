package io.github.grouptotp.keycloak.reset;

import java.time.Instant;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.events.Errors;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRecord.Stage;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.enrolment.TotpEnrolment;
import io.github.grouptotp.keycloak.guard.CodeThrottle;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.LoginOutcome;

/**
 * Between the password and the new authenticator of an admin's reset: the {@link OneTimePass} the help desk handed
 * over ({@code resetPass=required}). The flow step and the reset action both pass through here. A wrong pass counts
 * like a wrong code (5 per login, the per-user limit); an expired or spent one ends at a page that says to ask for
 * a new reset, with no QR code. A reset without a pass (the required action assigned by hand) goes on as before
 * and is logged, so admins see that it skipped the identity check.
 */
public final class ResetPassGate {

    private static final Logger LOG = Logger.getLogger(ResetPassGate.class);

    private ResetPassGate() {
    }

    /** The page this login must show before the reset's new authenticator, if any. */
    public static Optional<Response> challenge(LoginRequest request, GroupTotpConfig config) {
        if (!config.resetPassRequired() || request.record().resetPassCheckedInThisLogin()) {
            return Optional.empty();
        }
        UserModel user = request.user();
        switch (OneTimePass.state(user, LoginRecord.now())) {
            case VALID -> {
                request.record().stage(Stage.RESET_PASS);
                return Optional.of(TotpPages.resetPass(request.form(), null));
            }
            case EXPIRED -> {
                return Optional.of(expired(request));
            }
            default -> {
                LOG.warnf("User %s of realm %s sets up a new authenticator after a reset without a one-time pass (the "
                        + "required action '%s' was assigned by hand?): nobody checked who is asking. Reset through "
                        + "POST /admin/realms/%s/group-totp/users/{id}/reset instead.", user.getId(), request.realm().getName(),
                        GroupTotpResetAction.PROVIDER_ID, request.realm().getName());
                return Optional.empty();
            }
        }
    }

    /**
     * The page that answers the posted pass: with the right one (noted in this login), the user's old authenticators
     * are removed and the new one's QR code follows; else the pass page again or the page that says why not.
     */
    public static Response answer(LoginRequest request) {
        return refusal(request).orElseGet(() -> {
            TotpCredentials.removeAll(request.user(), request.event());
            return TotpEnrolment.begin(request, LoginOutcome.RESET);
        });
    }

    private static Optional<Response> refusal(LoginRequest request) {
        UserModel user = request.user();
        Instant now = LoginRecord.now();
        if (!GroupTotpResetAction.isAssigned(user) || OneTimePass.state(user, now) != OneTimePass.State.VALID) {
            // Spent by another login of the owner meanwhile, replaced by a new reset, or expired while the page was open.
            return Optional.of(expired(request));
        }
        String typed = request.formValue(TotpPages.FIELD_ONE_TIME_PASS);
        if (typed == null || typed.isBlank()) {
            return Optional.of(page(request, TotpPages.MSG_RESET_PASS_MISSING));
        }
        CodeThrottle.Attempt attempt = CodeThrottle.begin(request.session(), request.realm(), user, now);
        if (attempt instanceof CodeThrottle.Refused refused) {
            request.event().user(user).error(LoginRecord.THROTTLED_EVENT_ERROR);
            return Optional.of(TotpPages.resetPass(request.form(), TotpPages.throttled(TotpPages.FIELD_ONE_TIME_PASS, refused.until(), now)));
        }
        if (OneTimePass.matches(request.session(), user, typed, now)) {
            ((CodeThrottle.Allowed) attempt).succeeded();
            request.record().resetPassChecked();
            return Optional.empty();
        }
        request.event().user(user).error(Errors.INVALID_USER_CREDENTIALS);
        boolean limitReached = request.record().addWrongCode();
        return Optional.of(limitReached
                ? TotpPages.error(request.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES)
                : page(request, TotpPages.MSG_RESET_PASS_INVALID));
    }

    private static Response page(LoginRequest request, String message) {
        return TotpPages.resetPass(request.form(), new FormMessage(TotpPages.FIELD_ONE_TIME_PASS, message));
    }

    private static Response expired(LoginRequest request) {
        request.record().endStage();
        request.event().user(request.user()).error(LoginRecord.RESET_PASS_EXPIRED_EVENT_ERROR);
        return TotpPages.error(request.form(), TotpPages.MSG_RESET_PASS_EXPIRED);
    }
}
