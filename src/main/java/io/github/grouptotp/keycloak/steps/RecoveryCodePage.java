package io.github.grouptotp.keycloak.steps;

import java.util.Optional;

import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.RecoveryCodes;
import io.github.grouptotp.keycloak.guard.Attempts;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.SecretKind;

/**
 * "Lost your phone?" ({@link LoginRecord.Stage#RECOVERY}): any unused recovery code, once, is this login's proof, and
 * a new phone is set up in the same login; the lost phone's authenticator stays until the new one is confirmed.
 */
final class RecoveryCodePage {

    private RecoveryCodePage() {
    }

    static StepResult show(LoginRequest request, FormMessage message) {
        request.record().stage(LoginRecord.Stage.RECOVERY);
        return new StepResult.Show(TotpPages.recovery(request.form(), message));
    }

    static StepResult answer(LoginRequest request) {
        if (!RecoveryCodes.usable(request)) {
            // recoveryCodes switched off, or the codes removed, while the page was open: no recovery route.
            return new StepResult.Show(ErrorPages.sessionExpired(request));
        }
        String typed = request.formValue(TotpPages.FIELD_RECOVERY_CODE);
        Optional<FormMessage> problem = RecoveryCodes.shapeProblem(typed);
        if (problem.isPresent()) {
            return show(request, problem.get());
        }
        Attempts.Result result = Attempts.check(request, SecretKind.RECOVERY_CODE,
                () -> RecoveryCodes.spend(request.session(), request.realm(), request.user(), typed));
        if (!result.valid()) {
            return Refusals.show(request, result, TotpPages.FIELD_RECOVERY_CODE, TotpPages.MSG_RECOVERY_INVALID,
                    TotpPages.MSG_RECOVERY_BUSY, message -> TotpPages.recovery(request.form(), message));
        }
        return EnrolPage.begin(request, LoginOutcome.RECOVERY_CODE, null);
    }
}
