package io.github.grouptotp.keycloak.steps;

import java.util.Optional;

import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.RecoveryCodes;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.guard.Attempts;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.keycloak.remember.RememberedBrowserCookie;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.SecretKind;

/**
 * The code of the user's authenticator app ({@link LoginRecord.Stage#CODE}): at login, after an authenticator was set
 * up meanwhile, and before an account change. A right code is this login's proof and remembers the browser; the page
 * offers a recovery code where {@link RecoveryCodes#usable} says so.
 */
final class CodePage {

    private CodePage() {
    }

    static StepResult show(LoginRequest request, FormMessage message) {
        return show(request, message, null);
    }

    /** @param info a line above the field, e.g. why a code is asked again */
    static StepResult show(LoginRequest request, FormMessage message, String info) {
        request.record().stage(LoginRecord.Stage.CODE);
        var form = request.form();
        if (info != null) {
            form.setInfo(info);
        }
        return new StepResult.Show(TotpPages.code(form, RecoveryCodes.usable(request), ProofPages.otherThanApp(request), message));
    }

    static StepResult answer(LoginRequest request) {
        TotpCredentials.TypedCode typed = TotpCredentials.typed(request.realm(), request.user(), request.formValue(TotpPages.FIELD_OTP));
        if (!typed.wellFormed()) {
            // Input that cannot be a code guesses nothing: not counted as an attempt.
            return show(request, typed.problem());
        }
        String[] matched = new String[1];
        Attempts.Result result = Attempts.check(request, SecretKind.APP_CODE, () -> {
            Optional<String> credential = TotpCredentials.matching(request.user(), typed.code());
            matched[0] = credential.orElse(null);
            return credential.isPresent() ? Attempts.Check.RIGHT : Attempts.Check.WRONG;
        });
        if (!result.valid()) {
            return Refusals.show(request, result, TotpPages.FIELD_OTP, TotpPages.MSG_CODE_INVALID, TotpPages.MSG_CODE_INVALID,
                    message -> TotpPages.code(request.form(), RecoveryCodes.usable(request), ProofPages.otherThanApp(request), message));
        }
        RememberedBrowserCookie.issueIfEnabled(request.session(), request.realm(), request.user(), matched[0],
                request.config().rememberHours(), LoginRecord.now());
        return StepResult.Done.with(LoginOutcome.VERIFIED);
    }
}
