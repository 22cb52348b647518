package io.github.grouptotp.keycloak.steps;

import java.util.Optional;

import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.guard.Attempts;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.SecretKind;

/**
 * A reset the user started ({@code kc_action=group-totp-reset}, {@link LoginRecord.Stage#CURRENT_CODE}): the current
 * code first, unless this login gave one already; then the new phone, which replaces the old one once confirmed.
 */
final class CurrentCodePage {

    private CurrentCodePage() {
    }

    static StepResult show(LoginRequest request, FormMessage message) {
        request.record().stage(LoginRecord.Stage.CURRENT_CODE);
        return new StepResult.Show(TotpPages.code(request.form().setInfo(TotpPages.MSG_RESET_CONFIRM_CODE), false,
                ProofPages.otherThanApp(request), message));
    }

    static StepResult answer(LoginRequest request) {
        TotpCredentials.TypedCode typed = TotpCredentials.typed(request.realm(), request.user(), request.formValue(TotpPages.FIELD_OTP));
        if (!typed.wellFormed()) {
            return show(request, typed.problem());
        }
        Attempts.Result result = Attempts.check(request, SecretKind.APP_CODE, () -> {
            Optional<String> credential = TotpCredentials.matching(request.user(), typed.code());
            return credential.isPresent() ? Attempts.Check.RIGHT : Attempts.Check.WRONG;
        });
        if (!result.valid()) {
            return Refusals.show(request, result, TotpPages.FIELD_OTP, TotpPages.MSG_CODE_INVALID, TotpPages.MSG_CODE_INVALID,
                    message -> TotpPages.code(request.form().setInfo(TotpPages.MSG_RESET_CONFIRM_CODE), false,
                            ProofPages.otherThanApp(request), message));
        }
        return EnrolPage.begin(request, LoginOutcome.RESET, null);
    }
}
