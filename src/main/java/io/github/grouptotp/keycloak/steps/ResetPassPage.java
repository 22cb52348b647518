package io.github.grouptotp.keycloak.steps;

import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.guard.Attempts;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.keycloak.reset.PendingReset;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.SecretKind;

/**
 * An admin's reset ({@link LoginRecord.Stage#RESET_PASS}): the one-time pass the help desk handed over, asked whenever
 * one was issued, before any QR code. The login is then bound to that reset: a newer one voids it. A reset without a
 * pass (assigned by hand) goes on as before and is logged, so admins see that it skipped the identity check.
 */
final class ResetPassPage {

    private static final Logger LOG = Logger.getLogger(ResetPassPage.class);

    private ResetPassPage() {
    }

    /** The first page of a login under a pending reset. */
    static StepResult start(LoginRequest request, PendingReset reset) {
        LoginRecord record = request.record();
        if (record.boundReset().filter(reset.id()::equals).isPresent()) {
            return EnrolPage.begin(request, LoginOutcome.RESET, null); // this login gave this reset's pass already
        }
        return switch (reset.pass()) {
            case VALID -> show(request, null);
            case EXPIRED -> new StepResult.Show(ErrorPages.resetExpired(request));
            case NOT_ISSUED -> {
                LOG.warnf("User %s of realm %s sets up a new authenticator after a reset without a one-time pass (the "
                        + "required action '%s' was assigned by hand?): nobody checked who is asking. Reset through "
                        + "POST /admin/realms/%s/group-totp/users/{id}/reset instead.", request.user().getId(),
                        request.realm().getName(), PendingReset.ACTION_ID, request.realm().getName());
                record.bindReset(reset.id());
                yield EnrolPage.begin(request, LoginOutcome.RESET, null);
            }
        };
    }

    private static StepResult show(LoginRequest request, FormMessage message) {
        request.record().stage(LoginRecord.Stage.RESET_PASS);
        return new StepResult.Show(TotpPages.resetPass(request.form(), message));
    }

    static StepResult answer(LoginRequest request) {
        Instant now = LoginRecord.now();
        Optional<PendingReset> reset = PendingReset.of(request.user(), now).filter(r -> r.pass() == PendingReset.Pass.VALID);
        if (reset.isEmpty()) {
            // Spent by another login of the owner meanwhile, replaced by a new reset, or expired while the page was open.
            return new StepResult.Show(ErrorPages.resetExpired(request));
        }
        String typed = request.formValue(TotpPages.FIELD_ONE_TIME_PASS);
        if (typed == null || typed.isBlank()) {
            return show(request, new FormMessage(TotpPages.FIELD_ONE_TIME_PASS, TotpPages.MSG_RESET_PASS_MISSING));
        }
        Attempts.Result result = Attempts.check(request, SecretKind.ONE_TIME_PASS,
                () -> reset.get().passMatches(request.session(), typed, now) ? Attempts.Check.RIGHT : Attempts.Check.WRONG);
        if (!result.valid()) {
            return Refusals.show(request, result, TotpPages.FIELD_ONE_TIME_PASS, TotpPages.MSG_RESET_PASS_INVALID,
                    TotpPages.MSG_RESET_PASS_INVALID, message -> TotpPages.resetPass(request.form(), message));
        }
        request.record().bindReset(reset.get().id());
        return EnrolPage.begin(request, LoginOutcome.RESET, null);
    }
}
