package io.github.grouptotp.keycloak.steps;

import jakarta.ws.rs.core.Response;

import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.guard.Attempts;
import io.github.grouptotp.keycloak.pages.TotpPages;

/** How every page shows the guard's refusal of a typed secret: on its field, or the error page of a spent login. */
final class Refusals {

    /** A page of the handler that refused, with a message on its field. */
    @FunctionalInterface
    interface PageAgain {
        Response with(FormMessage message);
    }

    private Refusals() {
    }

    static StepResult show(LoginRequest request, Attempts.Result result, String field, String wrongMessage, String busyMessage,
                           PageAgain page) {
        return new StepResult.Show(switch (result.outcome()) {
            case LOGIN_SPENT -> ErrorPages.tooManyWrong(request);
            case WRONG -> page.with(new FormMessage(field, wrongMessage));
            case LOCKED_TEMPORARILY -> page.with(new FormMessage(field, TotpPages.MSG_LOCKED_TEMPORARILY));
            case LOCKED_PERMANENTLY -> page.with(new FormMessage(field, TotpPages.MSG_LOCKED_PERMANENTLY));
            case THROTTLED -> page.with(TotpPages.throttled(field, result.until(), LoginRecord.now()));
            case BUSY -> page.with(new FormMessage(field, busyMessage));
            case VALID -> throw new IllegalStateException("a valid secret is not refused");
        });
    }
}
